package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// fillHome appends n notes of about 500 bytes to the home's own log, one
// transaction each, which leaves the pages they replaced free in the file.
func fillHome(t *testing.T, dir string, n int) int {
	t.Helper()
	v, err := vault.Open(filepath.Join(dir, "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	for i := range n {
		body := vaulttest.Body(t, uint64(i+1), strings.Repeat("n", 500))
		if _, err := v.Append(v.Key(), protocol.Entry{Kind: "note", District: "meso-valley/north", Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	count, err := v.Count()
	if err != nil {
		t.Fatal(err)
	}
	return count
}

// vault compact gives the free pages back, and the compacted vault passes
// vault check with the same entries.
func TestVaultCompact(t *testing.T) {
	dir := newHome(t)
	count := fillHome(t, dir, 300)
	var out VaultCompact
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "vault", "compact", "--json")), &out); err != nil {
		t.Fatal(err)
	}
	if out.FreeBefore == 0 || out.BytesAfter >= out.BytesBefore || out.Seconds <= 0 {
		t.Fatalf("vault compact --json: %+v, want free pages given back", out)
	}
	must(t, "--home", dir, "vault", "check")
	text := must(t, "--home", dir, "vault", "compact")
	if !strings.HasPrefix(text, "vault.db  ") || !strings.Contains(text, "took") {
		t.Errorf("vault compact: %q", text)
	}
	v, err := vault.Open(filepath.Join(dir, "vault.db"), vault.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if n, err := v.Count(); err != nil || n != count {
		t.Fatalf("compacted vault holds %d blocks (%v), want %d", n, err, count)
	}
}

// vault compact refuses a home whose daemon lock is held (a daemon runs)
// and a vault another process holds open, with one line and a remedy.
func TestVaultCompactRefusesHeld(t *testing.T) {
	dir := newHome(t)
	lock, err := home.Acquire(filepath.Join(dir, "lock"))
	if err != nil {
		t.Fatal(err)
	}
	fails(t, 1, "daemon is running", "--home", dir, "vault", "compact")
	lock.Release()
	v, err := vault.Open(filepath.Join(dir, "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	fails(t, 1, "in use by another mycel process", "--home", dir, "vault", "compact")
}

// With a real daemon running, vault compact says to stop it first and
// leaves the vault to it; once stopped, compaction runs.
func TestVaultCompactDaemonE2E(t *testing.T) {
	e := newE2E(t)
	h := e.home("a")
	e.mycel(h, "init", "--district", "meso-valley/north")
	d := e.start(h)
	code, _, stderr := e.run(h, "vault", "compact")
	first, _, _ := strings.Cut(stderr, "\n")
	if code != 1 || !strings.Contains(first, "daemon is running") || !strings.Contains(stderr, "stop the daemon first") {
		t.Fatalf("vault compact with a daemon: exit %d, %q", code, stderr)
	}
	d.stop(t)
	e.mycel(h, "vault", "compact")
	e.mycel(h, "vault", "check")
}
