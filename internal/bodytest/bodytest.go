// Package bodytest holds the checks every package of entry kinds runs on
// its bodies: test vectors of their canonical bytes kept in a file, and
// the fuzz property that a body that decodes is checked and canonical.
package bodytest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

// Vector is one body and its canonical DAG-CBOR bytes, for
// implementations that check their encoding against this one.
type Vector struct {
	Kind string `json:"kind"`
	Note string `json:"note"`
	Hex  string `json:"hex"`
}

// Bytes returns the vector's bytes.
func (v Vector) Bytes(tb testing.TB) []byte {
	tb.Helper()
	b, err := hex.DecodeString(v.Hex)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Body is a body to make a vector of.
type Body struct {
	Kind, Note string
	Body       protocol.Body
}

// Vectors encodes bodies.
func Vectors(tb testing.TB, bodies []Body) []Vector {
	tb.Helper()
	var out []Vector
	for _, b := range bodies {
		data, err := protocol.EncodeBody(b.Body)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, Vector{Kind: b.Kind, Note: b.Note, Hex: hex.EncodeToString(data)})
	}
	return out
}

// Golden fails t unless got equals the vectors in the file at path and
// every one decodes under its kind in k. With update, it first writes
// got to path.
func Golden(t *testing.T, path string, update bool, got []Vector, k protocol.Kinds) {
	t.Helper()
	if update {
		data, _ := json.MarshalIndent(got, "", "  ")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update)", err)
	}
	var want []Vector
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("body vectors changed: the wire format moved. Diff %s against the output of -update", path)
	}
	for _, v := range want {
		if _, err := k.Decode(protocol.Entry{Kind: v.Kind, Body: v.Bytes(t)}); err != nil {
			t.Fatalf("%s (%s): %v", v.Kind, v.Note, err)
		}
	}
}

// Canonical fails t if data decodes under kind in k to a body that does
// not check again or does not re-encode to data: the property of a fuzz
// target over bodies.
func Canonical(t *testing.T, k protocol.Kinds, kind string, data []byte) {
	t.Helper()
	body, err := k.Decode(protocol.Entry{Kind: kind, Body: data})
	if err != nil {
		return
	}
	if err := body.Check(); err != nil {
		t.Fatalf("%s body decodes but does not check: %v", kind, err)
	}
	again, err := protocol.Marshal(body)
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("%s body decodes but re-encodes differently: %v", kind, err)
	}
}
