package arena

import (
	"errors"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

func TestBodiesCheck(t *testing.T) {
	poster := newAuthor(t, 1)
	p := poster.problem(t, "meso", 10, 0)
	entry := protocol.LinkTo(p.CID)
	raw := protocol.LinkTo(protocol.Link{}.Cid) // undefined
	good := func() *Problem { return &Problem{Domain: "MIP-AGR", Title: "t", Bounty: 1, Unit: "credit"} }
	shares := func(n int) []Share {
		out := make([]Share, n)
		for i := range out {
			out[i] = Share{Solution: protocol.LinkTo(poster.solve(t, p, strings.Repeat("x", i)).CID)}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		body protocol.Body
		ok   bool
	}{
		{"problem", good(), true},
		{"problem ref domain", &Problem{Domain: "MIP-AGR@12", Title: "t"}, true},
		{"problem bad domain", &Problem{Domain: "agr", Title: "t"}, false},
		{"problem bad ref", &Problem{Domain: "MIP-AGR@0", Title: "t"}, false},
		{"problem no title", &Problem{Domain: "MIP-AGR"}, false},
		{"problem long title", &Problem{Domain: "MIP-AGR", Title: strings.Repeat("a", MaxTitle+1)}, false},
		{"problem bad utf-8", &Problem{Domain: "MIP-AGR", Title: "\xff"}, false},
		{"problem long description", &Problem{Domain: "MIP-AGR", Title: "t", Description: strings.Repeat("a", MaxDescription+1)}, false},
		{"problem long criteria", &Problem{Domain: "MIP-AGR", Title: "t", Criteria: strings.Repeat("a", MaxCriteria+1)}, false},
		{"problem bounty no unit", &Problem{Domain: "MIP-AGR", Title: "t", Bounty: 1}, false},
		{"problem unit no bounty", &Problem{Domain: "MIP-AGR", Title: "t", Unit: "credit"}, false},
		{"problem huge bounty", &Problem{Domain: "MIP-AGR", Title: "t", Bounty: 1 << 53, Unit: "credit"}, false},
		{"problem negative deadline", &Problem{Domain: "MIP-AGR", Title: "t", Deadline: -1}, false},
		{"solution", &Solution{Problem: entry, Artifacts: []protocol.Link{entry}, Proofs: []protocol.Link{entry}}, true},
		{"solution no problem", &Solution{}, false},
		{"solution long summary", &Solution{Problem: entry, Summary: strings.Repeat("a", MaxSummary+1)}, false},
		{"solution undefined artifact", &Solution{Problem: entry, Artifacts: []protocol.Link{raw}}, false},
		{"solution many artifacts", &Solution{Problem: entry, Artifacts: make([]protocol.Link, MaxArtifacts+1)}, false},
		{"solution many proofs", &Solution{Problem: entry, Proofs: make([]protocol.Link, MaxProofs+1)}, false},
		{"accept", &Accept{Problem: entry, Shares: shares(MaxShares)}, true},
		{"accept no shares", &Accept{Problem: entry}, false},
		{"accept many shares", &Accept{Problem: entry, Shares: shares(MaxShares + 1)}, false},
		{"accept twice", &Accept{Problem: entry, Shares: []Share{{Solution: entry}, {Solution: entry}}}, false},
		{"accept huge share", &Accept{Problem: entry, Shares: []Share{{Solution: entry, Share: 1 << 53}}}, false},
	} {
		err := tc.body.Check()
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, protocol.ErrBadBody) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestAllowedCutsBeyondBounty(t *testing.T) {
	a := &Accept{Shares: []Share{{Share: 4}, {Share: 5}, {Share: 3}, {Share: 0}}}
	got := a.Allowed(10)
	if want := []uint64{4, 5, 1, 0}; !equal(got, want) {
		t.Fatalf("allowed %v, want %v", got, want)
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestKindsDecodeStrictly: a problem entry whose body does not check is
// read by no view.
func TestKindsDecodeStrictly(t *testing.T) {
	poster := newAuthor(t, 1)
	data, err := protocol.Marshal(&Problem{Domain: "nope", Title: "t"}) // Marshal does not check
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kinds.Decode(protocol.Entry{Kind: KindProblem, Body: data}); err == nil {
		t.Fatal("a problem with a bad domain decodes")
	}
	if viewOf(poster.problem(t, "meso", 0, 0)).Problems(At{}) == nil {
		t.Fatal("a good problem is not read")
	}
}
