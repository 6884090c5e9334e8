package home

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const pinCID = "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"

func TestSetPinKeepsTheRest(t *testing.T) {
	cfg := DefaultConfig("meso-valley/north", Laptop)
	text, err := cfg.Render()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, append(text, []byte("# a note of mine\n")...), 0o640); err != nil {
		t.Fatal(err)
	}
	got, err := SetPin(path, "meso-valley/north", pinCID)
	if err != nil || got.Pins["meso-valley/north"] != pinCID {
		t.Fatalf("SetPin: %+v, %v", got.Pins, err)
	}
	after, _ := os.ReadFile(path)
	for _, keep := range []string{"# District geneses pinned by CID", "# a note of mine", "mdns = true", `"meso-valley/north" = "` + pinCID + `"`} {
		if !strings.Contains(string(after), keep) {
			t.Fatalf("lost %q:\n%s", keep, after)
		}
	}
	// A second pin of the same district replaces the line.
	other := strings.Replace(pinCID, "zy", "za", 1)
	if _, err := SetPin(path, "meso-valley/north", other); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(path)
	if strings.Count(string(again), "meso-valley/north\" =") != 1 || !strings.Contains(string(again), other) {
		t.Fatalf("second pin:\n%s", again)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v", info.Mode())
	}
	// A bad district leaves the file as it was.
	if _, err := SetPin(path, "Meso Valley", pinCID); err == nil {
		t.Fatal("a bad district was pinned")
	}
	if last, _ := os.ReadFile(path); string(last) != string(again) {
		t.Fatal("a refused pin changed the file")
	}
}

func TestWithPin(t *testing.T) {
	cases := map[string]string{
		"":                 "\n[pins]\n\"a/b\" = \"C\"\n",
		"district = \"x\"": "district = \"x\"\n\n[pins]\n\"a/b\" = \"C\"\n",
		"[pins]\n'a/b' = \"old\" # mine\n\n[api]\n": "[pins]\n\"a/b\" = \"C\"\n\n[api]\n",
		"[pins]\n\"c/d\" = \"D\"\n\n[api]\nx = 1\n": "[pins]\n\"c/d\" = \"D\"\n\"a/b\" = \"C\"\n\n[api]\nx = 1\n",
		"[api]\nx = 1\n[pins]":                      "[api]\nx = 1\n[pins]\n\"a/b\" = \"C\"\n",
	}
	for in, want := range cases {
		if got := withPin(in, "a/b", "C"); got != want {
			t.Errorf("withPin(%q) = %q, want %q", in, got, want)
		}
	}
}
