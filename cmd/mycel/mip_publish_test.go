package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
)

// TestMIPPublish: a definition made from `mip show --json` of another MIP
// with a new id publishes as a mip entry the registry then knows; the same
// definition again, a ref already defined otherwise, and a schema its
// examples fail are refused with one line each and write nothing.
func TestMIPPublish(t *testing.T) {
	dir := newHome(t)
	var def map[string]any
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "mip", "show", "MIP-HLT@1", "--json")), &def); err != nil {
		t.Fatal(err)
	}
	def["id"], def["mip"], def["title"] = "MIP-SOL", "MIP-SOL@1", "Solar output of a village grid"
	file := filepath.Join(t.TempDir(), "sol.json")
	writeJSONFile(t, file, def)
	var w api.Written
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "mip", "publish", file, "--json")), &w); err != nil || w.Kind != "mip" {
		t.Fatalf("publish: %+v, %v", w, err)
	}
	if list := must(t, "--home", dir, "mip", "list"); !strings.Contains(list, "MIP-SOL@1") {
		t.Fatalf("mip list after publish: %s", list)
	}
	fails(t, 1, "already defined exactly so", "--home", dir, "mip", "publish", file)
	def["title"] = "another title"
	writeJSONFile(t, file, def)
	fails(t, 1, "publish it as version 2", "--home", dir, "mip", "publish", file)
	def["id"], def["mip"] = "MIP-BAD", "MIP-BAD@1"
	def["examples"] = []any{map[string]any{"nonsense": 1}}
	writeJSONFile(t, file, def)
	fails(t, 1, "MIP-BAD@1", "--home", dir, "mip", "publish", file)
	fails(t, 2, "not a MIP definition", "--home", dir, "mip", "publish", writeFile(t, "x.json", `{"idd": 1}`))
}

func writeJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
