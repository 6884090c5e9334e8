// Package examples holds runnable Mycel programs, one main package a
// folder; this test keeps them on the public API.
package examples

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/mesocosm/mycel"

// TestPublicImportsOnly: no example imports an internal package or a
// command of this module, so that each builds outside it unchanged.
func TestPublicImportsOnly(t *testing.T) {
	files, err := filepath.Glob("*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no example found")
	}
	dirs := map[string]bool{}
	for _, f := range files {
		dirs[filepath.Dir(f)] = true
		for _, path := range imports(t, f) {
			if reason := private(path); reason != "" {
				t.Errorf("%s imports %s: %s", f, path, reason)
			}
		}
	}
	for d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "README.md")); err != nil {
			t.Errorf("example %s has no README.md", d)
		}
	}
}

// private says why an import path is not public API; "" when it is.
func private(path string) string {
	if path != module && !strings.HasPrefix(path, module+"/") {
		return ""
	}
	switch {
	case path == module+"/internal" || strings.Contains(path+"/", "/internal/"):
		return "an internal package"
	case strings.HasPrefix(path, module+"/cmd/") || strings.HasPrefix(path, module+"/examples/"):
		return "a command (package main)"
	}
	return ""
}

func imports(t *testing.T, file string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range f.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestPrivate: the rule tells internal and command paths from public ones.
func TestPrivate(t *testing.T) {
	for path, want := range map[string]bool{
		module + "/internal/entrytest":          true,
		module + "/cmd/mycel/internal/home":     true,
		module + "/cmd/mycel":                   true,
		module + "/examples/clinic":             true,
		module + "/embed":                       false,
		module + "/api":                         false,
		"github.com/libp2p/go-libp2p/core/peer": false,
		"golang.org/x/internal/foo":             false, // not this module's
	} {
		if got := private(path) != ""; got != want {
			t.Errorf("%s: private %v, want %v", path, got, want)
		}
	}
}
