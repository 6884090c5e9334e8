package main

import (
	"path/filepath"
	"testing"
)

func TestPassphrase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home")
	pass := writeFile(t, "pass", "correct horse\n")
	must(t, "--home", dir, "init", "--passphrase-file", pass)
	t.Setenv("MYCEL_PASSPHRASE", "")
	ev := writeFile(t, "ev.txt", "x")
	fails(t, 1, "encrypted", "--home", dir, "evidence", "add", ev)
	must(t, "--home", dir, "proofs") // read-only: no passphrase needed
	t.Setenv("MYCEL_PASSPHRASE", "wrong")
	fails(t, 1, "wrong passphrase", "--home", dir, "evidence", "add", ev)
	must(t, "--home", dir, "--passphrase-file", pass, "evidence", "add", ev)
}
