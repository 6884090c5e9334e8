package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestOutputNotOverHome: bundle export, bundle want --out, backup and key
// export refuse a FILE that is one of the home's own files (by its path,
// or by another name for the same file), and leave it as it was.
func TestOutputNotOverHome(t *testing.T) {
	dir := newHome(t)
	pass := writeFile(t, "pass", "correct horse")
	vaultPath := filepath.Join(dir, "vault.db")
	before, err := os.ReadFile(vaultPath)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "looks-harmless.car")
	if err := os.Link(vaultPath, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"bundle", "export", vaultPath},
		{"bundle", "export", link},
		{"bundle", "export", filepath.Join(dir, "config.toml")},
		{"bundle", "want", "--out", vaultPath},
		{"backup", vaultPath},
		{"backup", filepath.Join(dir, "api.token")},
		{"key", "export", vaultPath, "--passphrase-file", pass},
	} {
		fails(t, exitError, "is this home's own", append([]string{"--home", dir}, args...)...)
	}
	if after, _ := os.ReadFile(vaultPath); !bytes.Equal(after, before) {
		t.Fatal("a refused output changed vault.db")
	}
	must(t, "--home", dir, "id")
}
