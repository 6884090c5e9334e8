package govern

import (
	"errors"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

func TestBodyCheck(t *testing.T) {
	a := newAuthor(t, 1)
	link := protocol.LinkTo(protocol.Sum([]byte("x")))
	raw := protocol.LinkTo(cid.NewCidV1(cid.Raw, link.Hash()))
	long := strings.Repeat("n", MaxNote+1)
	for _, c := range []struct {
		name string
		body protocol.Body
		ok   bool
	}{
		{"activate", &Proposal{Change: Activate, MIP: "MIP-AGR@2"}, true},
		{"retire with note", &Proposal{Change: Retire, MIP: "MIP-AGR@1", Note: strings.Repeat("n", MaxNote)}, true},
		{"add steward", &Proposal{Change: AddSteward, Peer: []byte(a.id)}, true},
		{"remove verifier", &Proposal{Change: RemoveVerifier, Peer: []byte(a.id)}, true},
		{"limit", &Proposal{Change: Limit, Unit: "credit", Amount: 500}, true},
		{"limit zero", &Proposal{Change: Limit, Unit: "kWh"}, true},
		{"unknown change", &Proposal{Change: "dissolve"}, false},
		{"bad ref", &Proposal{Change: Activate, MIP: "AGR-2"}, false},
		{"two changes", &Proposal{Change: Activate, MIP: "MIP-AGR@2", Peer: []byte(a.id)}, false},
		{"steward and limit", &Proposal{Change: AddSteward, Peer: []byte(a.id), Amount: 3}, false},
		{"limit and mip", &Proposal{Change: Limit, Unit: "credit", MIP: "MIP-AGR@2"}, false},
		{"bad peer", &Proposal{Change: RemoveSteward, Peer: []byte("nobody")}, false},
		{"bad unit", &Proposal{Change: Limit, Unit: "9x", Amount: 1}, false},
		{"huge limit", &Proposal{Change: Limit, Unit: "credit", Amount: settle.MaxAmount + 1}, false},
		{"long note", &Proposal{Change: Activate, MIP: "MIP-AGR@2", Note: long}, false},
		{"bad utf-8 note", &Proposal{Change: Activate, MIP: "MIP-AGR@2", Note: "\xff"}, false},
		{"vote", &Vote{Proposal: link, Yes: true, Note: "fine"}, true},
		{"vote no link", &Vote{}, false},
		{"vote raw link", &Vote{Proposal: raw}, false},
		{"vote long note", &Vote{Proposal: link, Note: long}, false},
	} {
		err := c.body.Check()
		if (err == nil) != c.ok {
			t.Errorf("%s: Check() = %v, want ok %v", c.name, err, c.ok)
		}
		if err != nil && (!errors.Is(err, protocol.ErrBadBody) || strings.Contains(err.Error(), "\n")) {
			t.Errorf("%s: error %q is not one line wrapping ErrBadBody", c.name, err)
		}
	}
}

// TestBodyRoundTrip: signed bodies decode back equal through the kinds.
func TestBodyRoundTrip(t *testing.T) {
	a := newAuthor(t, 2)
	p := &Proposal{Change: Limit, Unit: "credit", Amount: 7, Note: "raise"}
	r := a.propose(t, meso, p)
	got, ok := r.Body.(*Proposal)
	if !ok || got.Change != Limit || got.Unit != "credit" || got.Amount != 7 || got.Note != "raise" {
		t.Fatalf("proposal decoded as %+v", r.Body)
	}
	v := a.vote(t, r, true)
	if got, ok := v.Body.(*Vote); !ok || !got.Yes || !got.Proposal.Equals(r.CID) {
		t.Fatalf("vote decoded as %+v", v.Body)
	}
}
