package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corruptRecord makes a home whose vault pages are whole but whose one
// receipt block no longer decodes (its "amount" key turned into a byte
// string), and returns the home.
func corruptRecord(t *testing.T) string {
	t.Helper()
	payer, payee := newHome(t), newHome(t)
	must(t, "pay", homePeer(t, payee), "5", "credit", "--allow-uncovered", "--home", payer)
	breakReceipts(t, payer)
	return payer
}

// breakReceipts turns the "amount" key of every receipt in home's vault,
// a text string, into a byte string: those blocks no longer decode, and
// every page stays whole. It returns the path of vault.db and its bytes.
func breakReceipts(t *testing.T, home string) (string, []byte) {
	t.Helper()
	path := filepath.Join(home, "vault.db")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.ReplaceAll(data, []byte("\x66amount"), []byte("\x46amount"))
	if bytes.Equal(bad, data) {
		t.Fatal("no receipt amount key found in vault.db")
	}
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, bad
}

// TestCorruptRecordRemedy: a vault whose records are damaged (pages
// whole) is answered with the record check and a restore as the remedy,
// by a read command and by the daemon, never with the daemon's advice to
// pick other listen addresses.
func TestCorruptRecordRemedy(t *testing.T) {
	h := corruptRecord(t)
	for _, args := range [][]string{
		{"log", "--home", h},
		{"daemon", "--home", h, "--no-mdns", "--no-port-map", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0"},
	} {
		r := runCLI(t, args...)
		if r.code == 0 || strings.Contains(r.stderr, "--listen") || !strings.Contains(r.stderr, "mycel vault check") || !strings.Contains(r.stderr, "mycel restore FILE") {
			t.Errorf("mycel %s: exit %d, stderr %q, want the record check and a restore as the remedy", args[0], r.code, r.stderr)
		}
	}
}

// TestVaultCheckCorruptRecord: vault check on damaged records fails the
// record check, exit 4, and says "corrupt" once.
func TestVaultCheckCorruptRecord(t *testing.T) {
	h := corruptRecord(t)
	r := runCLI(t, "vault", "check", "--home", h)
	if r.code != exitDamaged || !strings.Contains(r.stdout, "records  FAIL") || strings.Count(r.stderr, "corrupt") != 1 {
		t.Fatalf("vault check: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestNotVaultRemedy: a vault.db whose meta pages are both wiped reads as
// no mycel vault at all; the message still says what to do.
func TestNotVaultRemedy(t *testing.T) {
	h := newHome(t)
	path := filepath.Join(h, "vault.db")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	clear(data[:8192])
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "id", "--home", h)
	if r.code == 0 || !strings.Contains(r.stderr, "not a mycel vault") || !strings.Contains(r.stderr, "mycel restore FILE") {
		t.Fatalf("id: exit %d, stderr %q, want a restore as the remedy", r.code, r.stderr)
	}
}
