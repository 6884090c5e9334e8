package vault_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// fastKDF keeps scrypt cheap in tests.
const fastKDF = 10

func TestCreateOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := v.ID()
	if v.Key() == nil || !id.MatchesPrivateKey(v.Key()) {
		t.Fatal("created vault's key does not match its ID")
	}
	blk, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: vaulttest.Body(t, 1, "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("vault file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if _, err := vault.Create(path, vault.Options{}); !errors.Is(err, fs.ErrExist) {
		t.Errorf("create over an existing vault: %v, want ErrExist", err)
	}
	v, err = vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if v.ID() != id {
		t.Errorf("reopened ID %s, want %s", v.ID(), id)
	}
	if ok, _ := v.Has(blk.CID); !ok {
		t.Error("entry lost across reopen")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	foreign := filepath.Join(dir, "foreign")
	os.WriteFile(foreign, []byte(strings.Repeat("not a vault ", 1000)), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)

	cases := []struct {
		name, path string
		opt        vault.Options
		want       error
		msg        string
	}{
		{"in use", path, vault.Options{Timeout: 20 * time.Millisecond}, vault.ErrInUse,
			"vault: open " + path + ": home already in use by another process"},
		{"missing", filepath.Join(dir, "none"), vault.Options{}, fs.ErrNotExist, "no vault file: file does not exist"},
		{"foreign", foreign, vault.Options{}, vault.ErrNotVault, "not a mycel vault"},
		{"empty", empty, vault.Options{}, vault.ErrNotVault, "not a mycel vault"},
		{"bad options", path, vault.Options{Timeout: -1}, nil, "negative lock timeout"},
	}
	for _, c := range cases {
		_, err := vault.Open(c.path, c.opt)
		if err == nil || c.want != nil && !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %v containing %q", c.name, err, c.want, c.msg)
		}
	}
	if fi, _ := os.Stat(empty); fi.Size() != 0 {
		t.Error("open wrote to an empty foreign file")
	}
}

func TestPassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.db")
	pass := []byte("correct horse")
	v, err := vault.Create(path, vault.Options{Passphrase: pass, WorkFactor: fastKDF})
	if err != nil {
		t.Fatal(err)
	}
	id := v.ID()
	v.Close()
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "age-encryption.org/v1") == false {
		t.Error("key record is not age-encrypted")
	}

	if _, err := vault.Open(path, vault.Options{}); !errors.Is(err, vault.ErrLocked) {
		t.Errorf("open without passphrase: %v, want ErrLocked", err)
	}
	if _, err := vault.Open(path, vault.Options{Passphrase: []byte("wrong")}); !errors.Is(err, vault.ErrBadPass) {
		t.Errorf("open with wrong passphrase: %v, want ErrBadPass", err)
	}
	ro, err := vault.Open(path, vault.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open without passphrase: %v", err)
	}
	if ro.Key() != nil || ro.ID() != id {
		t.Errorf("read-only: key %v, id %s; want nil key, id %s", ro.Key(), ro.ID(), id)
	}
	if _, err := ro.Put(vaulttest.NewAuthor(t).Next(t, "note", "", nil)); err == nil {
		t.Error("put into a read-only vault succeeded")
	}
	ro.Close()
	v, err = vault.Open(path, vault.Options{Passphrase: pass})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if v.ID() != id || !id.MatchesPrivateKey(v.Key()) {
		t.Error("decrypted key does not match the vault's ID")
	}
}

func TestCreateWithKey(t *testing.T) {
	a := vaulttest.NewAuthor(t)
	v, err := vault.CreateWithKey(filepath.Join(t.TempDir(), "v.db"), a.Key, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if v.ID() != a.ID {
		t.Errorf("ID %s, want %s", v.ID(), a.ID)
	}
}
