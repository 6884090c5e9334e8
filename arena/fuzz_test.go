package arena

import (
	"testing"

	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/protocol"
)

// FuzzBodies: whatever bytes arrive as an arena body, decoding never
// panics, and a body that decodes is checked and canonical.
func FuzzBodies(f *testing.F) {
	entry := protocol.LinkTo(protocol.Sum([]byte("an entry")))
	entrytest.FuzzBodies(f, kinds, []string{KindProblem, KindSolution, KindAccept},
		entrytest.Seed{Kind: KindProblem, Body: &Problem{Domain: "MIP-AGR@1", Title: "t", Description: "d", Criteria: "c", Bounty: 9, Unit: "credit", Deadline: 5}},
		entrytest.Seed{Kind: KindSolution, Body: &Solution{Problem: entry, Summary: "s", Artifacts: []protocol.Link{entry}, Proofs: []protocol.Link{entry}}},
		entrytest.Seed{Kind: KindAccept, Body: &Accept{Problem: entry, Shares: []Share{{Solution: entry, Share: 3}}}})
}
