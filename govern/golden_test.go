package govern

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

var update = flag.Bool("update", false, "rewrite testdata/bodies.json from the current code")

// vector is one body and its canonical DAG-CBOR bytes (docs/PROTOCOL.md
// §8.9), for implementations that check their encoding against this one.
type vector struct {
	Kind string `json:"kind"`
	Note string `json:"note"`
	Hex  string `json:"hex"`
}

func (v vector) bytes(tb testing.TB) []byte {
	b, err := hex.DecodeString(v.Hex)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func vectors(tb testing.TB) []vector {
	who, err := peer.Decode("12D3KooWH3okqZcRaHwy4keYWo9eAaCDwhePYajtHsCM4Egsptan")
	if err != nil {
		tb.Fatal(err)
	}
	bodies := []struct {
		kind, note string
		body       protocol.Body
	}{
		{KindProposal, "activate MIP-AGR@2, with a note", &Proposal{Change: Activate, MIP: "MIP-AGR@2", Note: "soil data"}},
		{KindProposal, "retire MIP-AGR@1", &Proposal{Change: Retire, MIP: "MIP-AGR@1"}},
		{KindProposal, "add a steward", &Proposal{Change: AddSteward, Peer: []byte(who)}},
		{KindProposal, "remove a verifier", &Proposal{Change: RemoveVerifier, Peer: []byte(who)}},
		{KindProposal, "limit credit=500", &Proposal{Change: Limit, Unit: "credit", Amount: 500}},
		{KindVote, "yes to the proposal entry CID sum(\"proposal\")", &Vote{Proposal: protocol.LinkTo(protocol.Sum([]byte("proposal"))), Yes: true}},
		{KindVote, "no, with a note", &Vote{Proposal: protocol.LinkTo(protocol.Sum([]byte("proposal"))), Note: "too early"}},
	}
	var out []vector
	for _, b := range bodies {
		data, err := protocol.EncodeBody(b.body)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, vector{Kind: b.kind, Note: b.note, Hex: hex.EncodeToString(data)})
	}
	return out
}

// TestGolden: the bodies' bytes match testdata/bodies.json, and every
// vector decodes under its kind.
func TestGolden(t *testing.T) {
	const path = "testdata/bodies.json"
	got := vectors(t)
	if *update {
		data, _ := json.MarshalIndent(got, "", "  ")
		if err := os.MkdirAll("testdata", 0o755); err != nil {
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
	var want []vector
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("governance body vectors changed: the wire format moved. Diff %s against the output of -update", path)
	}
	for _, v := range want {
		if _, err := kinds.Decode(protocol.Entry{Kind: v.Kind, Body: v.bytes(t)}); err != nil {
			t.Fatalf("%s (%s): %v", v.Kind, v.Note, err)
		}
	}
}
