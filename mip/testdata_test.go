package mip

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden .err files in testdata")

// TestTestdata runs every claim under testdata/<MIP-ID>/: each valid/*.json
// must pass CheckClaim; each invalid/*.json must fail with exactly the
// message in the .err file beside it.
func TestTestdata(t *testing.T) {
	r := Builtins()
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, d := range dirs {
		m, ok := r.Lookup(d.Name())
		if !ok {
			t.Fatalf("testdata/%s: no such built-in", d.Name())
		}
		seen++
		t.Run(d.Name(), func(t *testing.T) {
			valid := claimFiles(t, filepath.Join("testdata", d.Name(), "valid"))
			invalid := claimFiles(t, filepath.Join("testdata", d.Name(), "invalid"))
			if len(valid) < 2 || len(invalid) < 3 {
				t.Fatalf("have %d valid and %d invalid claims, want >= 2 and >= 3", len(valid), len(invalid))
			}
			for _, path := range valid {
				if err := checkFile(r, m.Ref(), path); err != nil {
					t.Errorf("%s: %v", path, err)
				}
			}
			for _, path := range invalid {
				checkInvalid(t, r, m.Ref(), path)
			}
		})
	}
	if seen != 8 {
		t.Errorf("testdata covers %d MIPs, want 8", seen)
	}
}

func claimFiles(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func checkFile(r *Registry, ref, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	claim, err := ClaimFromJSON(data)
	if err != nil {
		return err
	}
	return r.CheckClaim(ref, claim)
}

func checkInvalid(t *testing.T, r *Registry, ref, path string) {
	t.Helper()
	err := checkFile(r, ref, path)
	if err == nil {
		t.Errorf("%s: accepted, want an error", path)
		return
	}
	if !errors.Is(err, ErrClaim) {
		t.Errorf("%s: %v does not wrap ErrClaim", path, err)
	}
	golden := strings.TrimSuffix(path, ".json") + ".err"
	if *update {
		if err := os.WriteFile(golden, []byte(err.Error()+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, rerr := os.ReadFile(golden)
	if rerr != nil {
		t.Fatalf("%s: %v (run go test -update)", path, rerr)
	}
	if got := err.Error(); got != strings.TrimSpace(string(want)) {
		t.Errorf("%s:\n got %s\nwant %s", path, got, want)
	}
}
