package vault_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/vault"
)

// An open with the quick check only (a large file, or `mycel vault
// check`, which runs the page walk itself) that meets damage through
// bbolt before the walk still names the damaged page, in words and not
// as a Go runtime error: every page body of a small real vault is
// scrambled in turn.
func TestQuickOpenLocatesDamage(t *testing.T) {
	src := realVault(t, 3)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	failed := 0
	for id := 2; id < len(data)/ps; id++ {
		t.Run(fmt.Sprintf("page %d", id), func(t *testing.T) {
			d := append([]byte(nil), data...)
			for i := id*ps + 16; i < (id+1)*ps; i++ {
				d[i] = byte(i*131 + 7)
			}
			path := filepath.Join(t.TempDir(), "vault.db")
			if err := os.WriteFile(path, d, 0o600); err != nil {
				t.Fatal(err)
			}
			v, err := vault.Open(path, vault.Options{ReadOnly: true, FullCheckMax: -1})
			if err == nil {
				v.Close()
				return // a free page, or one open does not read
			}
			failed++
			var de *vault.DamagedError
			if !errors.As(err, &de) {
				t.Fatalf("open: %v, want a *vault.DamagedError", err)
			}
			if !de.Known || strings.Contains(err.Error(), "runtime error") {
				t.Fatalf("open: %q, want the damaged page named in words", err)
			}
		})
	}
	if failed == 0 {
		t.Fatal("no scrambled page made open fail: the test proves nothing")
	}
}
