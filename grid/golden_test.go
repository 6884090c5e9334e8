package grid

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

var update = flag.Bool("update", false, "rewrite testdata/bodies.json from the current code")

const goldenPath = "testdata/bodies.json"

// vector is one body and its canonical DAG-CBOR bytes, for implementations
// that check their encoding against this one (docs/PROTOCOL.md §10.1).
type vector struct {
	Kind string `json:"kind"`
	Note string `json:"note"`
	Hex  string `json:"hex"`
}

func vectors(t *testing.T) []vector {
	bodies := []struct {
		kind, note string
		body       protocol.Body
	}{
		{KindOffer, "256 MiB, 30 s, 5 credit per job, two districts", goodOffer()},
		{KindOffer, "withdrawn", &Offer{Withdrawn: true}},
		{KindJob, "module \"m\", empty input, k = 3, at most 9 credit", goodJob()},
		{KindResult, "output \"out\" of the job entry CID sum(\"job\")", goodResult()},
		{KindResult, "timed out", with(goodResult(), func(r *Result) { r.Exit, r.Error = 1, ErrorTimeout })},
	}
	var out []vector
	for _, b := range bodies {
		data, err := protocol.EncodeBody(b.body)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, vector{Kind: b.kind, Note: b.note, Hex: hex.EncodeToString(data)})
	}
	return out
}

// TestGolden: the bodies' bytes match testdata/bodies.json, and every
// vector decodes under its kind.
func TestGolden(t *testing.T) {
	got := vectors(t)
	if *update {
		data, _ := json.MarshalIndent(got, "", "  ")
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update)", err)
	}
	var want []vector
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("grid body vectors changed: the wire format moved. Diff %s against the output of -update", goldenPath)
	}
	for _, v := range want {
		b, _ := hex.DecodeString(v.Hex)
		if _, err := kinds.Decode(protocol.Entry{Kind: v.Kind, Body: b}); err != nil {
			t.Fatalf("%s (%s): %v", v.Kind, v.Note, err)
		}
	}
}
