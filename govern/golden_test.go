package govern

import (
	"flag"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/internal/bodytest"
	"github.com/mesocosm/mycel/protocol"
)

var update = flag.Bool("update", false, "rewrite testdata/bodies.json from the current code")

// vectors are bodies of both kinds and their canonical bytes
// (docs/PROTOCOL.md §8.9).
func vectors(tb testing.TB) []bodytest.Vector {
	who, err := peer.Decode("12D3KooWH3okqZcRaHwy4keYWo9eAaCDwhePYajtHsCM4Egsptan")
	if err != nil {
		tb.Fatal(err)
	}
	link := protocol.LinkTo(protocol.Sum([]byte("proposal")))
	return bodytest.Vectors(tb, []bodytest.Body{
		{Kind: KindProposal, Note: "activate MIP-AGR@2, with a note", Body: &Proposal{Change: Activate, MIP: "MIP-AGR@2", Note: "soil data"}},
		{Kind: KindProposal, Note: "retire MIP-AGR@1", Body: &Proposal{Change: Retire, MIP: "MIP-AGR@1"}},
		{Kind: KindProposal, Note: "add a steward", Body: &Proposal{Change: AddSteward, Peer: []byte(who)}},
		{Kind: KindProposal, Note: "remove a verifier", Body: &Proposal{Change: RemoveVerifier, Peer: []byte(who)}},
		{Kind: KindProposal, Note: "limit credit=500", Body: &Proposal{Change: Limit, Unit: "credit", Amount: 500}},
		{Kind: KindVote, Note: "yes to the proposal entry CID sum(\"proposal\")", Body: &Vote{Proposal: link, Yes: true}},
		{Kind: KindVote, Note: "no, with a note", Body: &Vote{Proposal: link, Note: "too early"}},
	})
}

// TestGolden: the bodies' bytes match testdata/bodies.json, and every
// vector decodes under its kind.
func TestGolden(t *testing.T) {
	bodytest.Golden(t, "testdata/bodies.json", *update, vectors(t), kinds)
}
