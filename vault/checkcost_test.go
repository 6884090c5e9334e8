package vault_test

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/mesocosm/mycel/vault"
)

// TestCheckCost fills a vault of 100k entries and logs what each level of
// page check costs: Open with the quick check, Open with the full page
// walk, CheckPages (walk and bbolt's Tx.Check) and mycel's record Check.
// The figures are in docs/PERFORMANCE.md (Vault checks). Run with
// MYCEL_CHECK_COST=1; it takes about a minute.
func TestCheckCost(t *testing.T) {
	if os.Getenv("MYCEL_CHECK_COST") == "" {
		t.Skip("set MYCEL_CHECK_COST=1 to measure the page checks on a 100k-entry vault")
	}
	v, _ := filled(t, 100_000)
	path := v.Path()
	v.Close()
	fi, _ := os.Stat(path)
	t.Logf("vault of 100k entries: %d MiB", fi.Size()>>20)
	timed := func(what string, fn func() error) {
		best := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			if err := fn(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			best = min(best, time.Since(start))
		}
		t.Logf("%-34s best of 5: %v", what, best)
	}
	open := func(max int64) func() error {
		return func() error {
			v, err := vault.Open(path, vault.Options{ReadOnly: true, FullCheckMax: max})
			if err == nil {
				v.Close()
			}
			return err
		}
	}
	timed("open, quick check", open(-1))
	timed("open, full page walk", open(1<<40))
	v, err := vault.Open(path, vault.Options{ReadOnly: true, FullCheckMax: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	timed("CheckPages (walk + bbolt Tx.Check)", func() error { _, err := v.CheckPages(); return err })
	timed("Backup to io.Discard (Tx.WriteTo)", func() error { _, err := v.Backup(io.Discard); return err })
	timed("Check (mycel's records)", v.Check)
}
