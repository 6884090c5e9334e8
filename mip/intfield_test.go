package mip

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// agree checks the lean path against the full schema on one claim: the
// lean path may only pass claims the full schema passes, and on Go
// integers it must pass every claim the full schema passes.
func agree(t *testing.T, d *def, claim map[string]any, what string) {
	t.Helper()
	full := validate(d.schema, claim) == nil
	fast := leanCheck(d.lean, d.ints, claim)
	if fast && !full {
		t.Fatalf("%s: lean path passes a claim the full schema refuses: %v", what, claim)
	}
	if full && !fast && native(claim, 0) {
		t.Fatalf("%s: lean path refuses a claim the full schema passes: %v", what, claim)
	}
}

// TestLeanAgrees runs every built-in's examples and testdata claims, and
// each with every integer field set to values around its bounds and to
// other types, through both paths.
func TestLeanAgrees(t *testing.T) {
	r := Builtins()
	for _, m := range r.List() {
		d := r.find(m.Ref())
		if d.lean == nil || len(d.ints) == 0 {
			t.Fatalf("%s: no lean schema", m.Ref())
		}
		claims := append([]map[string]any{}, m.Examples...)
		files, _ := filepath.Glob(filepath.Join("testdata", m.ID, "*", "*.json"))
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if c, err := ClaimFromJSON(data); err == nil {
				claims = append(claims, c)
			}
		}
		for _, claim := range claims {
			agree(t, d, claim, m.Ref())
			for _, f := range d.ints {
				for _, v := range probes(f) {
					agree(t, d, with(claim, f.path, v), m.Ref()+" "+f.path[len(f.path)-1])
				}
			}
		}
	}
}

func probes(f intField) []any {
	out := []any{nil, "7", true, json.Number("5"), 1.0, int32(3), []any{}, map[string]any{},
		int64(math.MinInt64), int64(math.MaxInt64), uint64(math.MaxUint64), uint64(0), int64(-1)}
	for _, b := range []int64{f.min, f.max} {
		for _, d := range []int64{-1, 0, 1} {
			if n := b + d; (d < 0) == (n < b) { // skip overflow
				out = append(out, n, int(n))
				if n >= 0 {
					out = append(out, uint64(n))
				}
			}
		}
	}
	return out
}

// with returns a copy of claim with the value at path set to v, making
// the objects on the way.
func with(claim map[string]any, path []string, v any) map[string]any {
	out := make(map[string]any, len(claim)+1)
	for k, e := range claim {
		out[k] = e
	}
	if len(path) == 1 {
		out[path[0]] = v
		return out
	}
	inner, _ := out[path[0]].(map[string]any)
	out[path[0]] = with(inner, path[1:], v)
	return out
}

// TestLeanBounds: exclusive bounds fold into inclusive ones, nested
// fields are found, and schemas that could apply one field elsewhere are
// not rewritten.
func TestLeanBounds(t *testing.T) {
	r := New()
	m := MIP{ID: "MIP-TST", Version: 1, Title: "bounds", Policy: Policy{Attestations: 1},
		Schema: json.RawMessage(`{"type": "object", "properties": {
			"n": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "minimum": -5},
			"o": {"type": "object", "properties": {"k": {"type": "integer", "maximum": 3, "enum": [1, 3]}}},
			"f": {"type": "integer", "minimum": 0.5}}}`),
		Examples: []map[string]any{{"n": int64(1)}}}
	if err := r.Add(m); err != nil {
		t.Fatal(err)
	}
	d := r.find("MIP-TST@1")
	if len(d.ints) != 2 {
		t.Fatalf("ints %+v, want n and o/k (f has a fractional bound)", d.ints)
	}
	for _, f := range d.ints {
		if f.path[0] == "n" && (f.min != 1 || f.max != 9) {
			t.Fatalf("n bounds [%d, %d], want [1, 9]", f.min, f.max)
		}
	}
	for _, n := range []int64{-6, -1, 0, 1, 5, 9, 10, 11} {
		agree(t, d, map[string]any{"n": n}, "n")
		agree(t, d, map[string]any{"o": map[string]any{"k": n}}, "o/k")
		agree(t, d, map[string]any{"f": n}, "f")
	}
	agree(t, d, map[string]any{"o": "x"}, "o not an object")

	for _, schema := range []string{
		`{"type": "object", "properties": {"n": {"type": "integer"}, "m": {"$ref": "#/properties/n"}}}`,
		`{"type": "object", "properties": {"n": {"$id": "n", "type": "integer"}}}`,
		`{"type": "object", "properties": {"s": {"type": "string"}}}`,
	} {
		sch, ints := compileLean("MIP-X@1", []byte(schema))
		if sch != nil || ints != nil {
			t.Errorf("%s: rewritten", schema)
		}
	}
}
