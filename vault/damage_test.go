package vault_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// realVault writes a vault of n entries with some evidence, made by the
// real code, and returns its path.
func realVault(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	pad := strings.Repeat("p", 600)
	for i := range n {
		if _, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: vaulttest.Body(t, uint64(i+1), pad)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := v.AddEvidence(bytes.Repeat([]byte("e"), 5000), "scan"); err != nil {
		t.Fatal(err)
	}
	return path
}

// damagedCopy writes a damaged copy of the vault at src and returns its path.
func damagedCopy(t *testing.T, src string, d vaulttest.Damage) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "vault.db")
	vaulttest.DamageCopy(t, src, dst, d)
	return dst
}

func wantDamaged(t *testing.T, what string, err error) {
	t.Helper()
	var d *vault.DamagedError
	if !errors.As(err, &d) || !errors.Is(err, vault.ErrDamaged) {
		t.Fatalf("%s: %v, want a *vault.DamagedError", what, err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "vault.db is damaged") {
		t.Fatalf("%s: %q, want one line saying vault.db is damaged", what, msg)
	}
}

// Open refuses every damaged copy with one line naming the page: the full
// page check runs on a small file, and the quick check alone catches a
// broken meta page or a short file.
func TestOpenDamaged(t *testing.T) {
	src := realVault(t, 300)
	if v, err := vault.Open(src, vault.Options{}); err != nil {
		t.Fatalf("intact vault: %v", err)
	} else {
		if _, err := v.CheckPages(); err != nil {
			t.Fatalf("page check of the intact vault: %v", err)
		}
		v.Close()
	}
	for _, d := range vaulttest.Damages {
		t.Run(d.Name, func(t *testing.T) {
			path := damagedCopy(t, src, d)
			for _, ro := range []bool{false, true} {
				_, err := vault.Open(path, vault.Options{ReadOnly: ro})
				wantDamaged(t, "open", err)
			}
			if strings.HasPrefix(d.Name, "scramble meta") || strings.HasPrefix(d.Name, "truncate") {
				_, err := vault.Open(path, vault.Options{ReadOnly: true, FullCheckMax: -1})
				wantDamaged(t, "open with the quick check", err)
			}
		})
	}
}

// With the full check skipped, reads that meet a damaged page fail with a
// *DamagedError instead of crashing, and the vault then refuses the rest.
func TestReadsOfDamagedPages(t *testing.T) {
	src := realVault(t, 300)
	for _, d := range vaulttest.Damages {
		if strings.HasPrefix(d.Name, "scramble meta") || strings.HasPrefix(d.Name, "truncate") {
			continue // refused by the quick check on open
		}
		t.Run(d.Name, func(t *testing.T) {
			v, err := vault.Open(damagedCopy(t, src, d), vault.Options{ReadOnly: true, FullCheckMax: -1})
			if err != nil {
				wantDamaged(t, "open", err) // the damage hit a page open reads
				return
			}
			defer v.Close()
			err = v.Check() // reads every bucket
			if !errors.Is(err, vault.ErrCorrupt) {
				t.Fatalf("check: %v, want damage", err)
			}
			if _, err := v.CheckPages(); !errors.Is(err, vault.ErrDamaged) {
				t.Fatalf("page check: %v, want damage", err)
			}
			wantDamaged(t, "reads after damage", v.Err())
			if _, err := v.Heads(); !errors.Is(err, vault.ErrDamaged) {
				t.Fatalf("read after damage was seen: %v, want it refused", err)
			}
		})
	}
}

// A file cut short under an open vault (a disk failing while the daemon
// runs) makes reads fault; the fault becomes a *DamagedError, the vault
// refuses further reads and writes, and Damaged is closed.
func TestFaultBecomesDamage(t *testing.T) {
	path := realVault(t, 300)
	v, err := vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := os.Truncate(path, 16<<10); err != nil {
		t.Fatal(err)
	}
	err = v.Check()
	wantDamaged(t, "check of a truncated file", err)
	select {
	case <-v.Damaged():
	default:
		t.Fatal("Damaged is not closed after a fault")
	}
	if _, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: vaulttest.Body(t, 999, "")}); !errors.Is(err, vault.ErrDamaged) {
		t.Fatalf("write after damage: %v, want it refused", err)
	}
}
