package node

import (
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// status is a proof's verification status in n's views now.
func status(n *Node, proof cid.Cid) settle.Status {
	st, _ := n.Views().Status(proof)
	return st
}

// TestRatifiedMIPAcrossPartition: a MIP published as an entry counts in
// the district once its stewards ratify it. The stewards ratify it on
// one side of a partition while a proof under it is attested on the
// other: the proof side sees it unratified, not verified; after the heal
// every peer counts the MIP and holds the proof verified, with one ledger
// digest.
func TestRatifiedMIPAcrossPartition(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	s1, s2 := mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t))
	clinic, verifier := mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t))
	all := []*Node{s1, s2, clinic, verifier}
	meshUp(t, ctx, mn, all...)

	publish(t, ctx, s1, settle.KindDistrict, genesis([]peer.ID{s1.ID(), s2.ID()}, verifier.ID()))
	m, _ := mip.Builtins().Lookup("MIP-HLT@1")
	m.ID, m.Policy.Attestations = "MIP-TST", 1
	doc := mip.DocOf(m)
	publish(t, ctx, clinic, protocol.KindMIP, &doc)
	for _, n := range all {
		until(t, ctx, n, "genesis and MIP held", func(*Views) bool { _, ok := n.MIPs().Lookup("MIP-TST@1"); return ok && n.Views().Entries() == 2 })
	}

	// The partition: the stewards on one side, the clinic and its
	// verifier on the other.
	for _, a := range []*Node{s1, s2} {
		for _, b := range []*Node{clinic, verifier} {
			if err := mn.UnlinkPeers(a.ID(), b.ID()); err != nil {
				t.Fatal(err)
			}
			_ = mn.DisconnectPeers(a.ID(), b.ID())
		}
	}
	p := publish(t, ctx, s1, govern.KindProposal, &govern.Proposal{Change: govern.Activate, MIP: "MIP-TST@1"})
	publish(t, ctx, s1, govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p.CID), Yes: true})
	publish(t, ctx, s2, govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p.CID), Yes: true})
	claim := hltProof(t, 1)
	claim.MIP = "MIP-TST@1"
	proof := publish(t, ctx, clinic, protocol.KindProof, claim)
	publish(t, ctx, verifier, protocol.KindAttest, valid(proof.CID))
	until(t, ctx, clinic, "the attestation held", func(v *Views) bool { st, _ := v.Status(proof.CID); return st.Valid == 1 })
	if st := status(clinic, proof.CID); st.Verified || st.InForce {
		t.Fatalf("before the heal, on the proof's side: %+v; want the MIP not in force, not verified", st)
	}
	until(t, ctx, s2, "both votes held", func(v *Views) bool { return v.Entries() == 5 })

	meshUp(t, ctx, mn, all...) // heal
	want := until(t, ctx, s1, "the proof verified", func(v *Views) bool { st, _ := v.Status(proof.CID); return st.Verified }).Digest()
	for _, n := range all {
		v := until(t, ctx, n, "the proof verified, one digest", func(v *Views) bool {
			st, _ := v.Status(proof.CID)
			return st.Verified && st.InForce && v.Digest() == want
		})
		if v.Entries() != 7 {
			t.Errorf("%s holds %d entries, want 7", n.ID(), v.Entries())
		}
	}
}

// TestStewardVotedOut: a steward the other stewards vote out stops
// counting on every peer: the verifier it grants afterwards attests for
// nothing, and its yes vote on a later proposal is not counted.
func TestStewardVotedOut(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	var stewards []*Node
	for range 4 {
		stewards = append(stewards, mockNode(t, mn, newVault(t)))
	}
	clinic, verifier, friend := mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t))
	all := append([]*Node{clinic, verifier, friend}, stewards...)
	meshUp(t, ctx, mn, all...)
	ids := []peer.ID{}
	for _, s := range stewards {
		ids = append(ids, s.ID())
	}
	publish(t, ctx, stewards[0], settle.KindDistrict, genesis(ids, verifier.ID()))
	out := stewards[3]
	p := publish(t, ctx, stewards[0], govern.KindProposal, &govern.Proposal{Change: govern.RemoveSteward, Peer: []byte(out.ID())})
	for _, s := range stewards[:3] { // 3 of 4: more than two thirds
		publish(t, ctx, s, govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p.CID), Yes: true})
	}
	for _, n := range all {
		until(t, ctx, n, "the removal ratified", func(*Views) bool { return n.Views().Entries() == 5 })
	}

	// The steward voted out grants a friend the verifier role, and the
	// friend attests a proof; the district's verifier attests another.
	publish(t, ctx, out, settle.KindRole, &settle.Role{Subject: []byte(friend.ID()), Role: settle.RoleVerifier, Grant: true})
	p1 := publish(t, ctx, clinic, protocol.KindProof, hltProof(t, 1))
	publish(t, ctx, friend, protocol.KindAttest, valid(p1.CID))
	publish(t, ctx, verifier, protocol.KindAttest, valid(p1.CID))
	// It proposes a verifier of its own and votes for it with one steward
	// in force: 2 of 3 stewards in force would not do, and its vote is
	// not one of them.
	p2 := publish(t, ctx, stewards[1], govern.KindProposal, &govern.Proposal{Change: govern.AddVerifier, Peer: []byte(friend.ID())})
	publish(t, ctx, out, govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p2.CID), Yes: true})
	publish(t, ctx, stewards[1], govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p2.CID), Yes: true})
	publish(t, ctx, stewards[2], govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p2.CID), Yes: true})
	for _, n := range all {
		v := until(t, ctx, n, "every entry", func(v *Views) bool { return v.Entries() == 13 })
		st, _ := v.Status(p1.CID)
		for _, a := range st.Attestations {
			if a.Verifier == friend.ID() && (a.Counted || a.Why != settle.WhyStranger) {
				t.Fatalf("%s: the attestation of the verifier a removed steward granted counts: %+v", n.ID(), a)
			}
		}
		if st.Valid != 1 {
			t.Fatalf("%s: %d valid attestations counted, want the district verifier's only", n.ID(), st.Valid)
		}
		var ps govern.Status
		n.views.work(func(w *views) { ps, _ = w.gov.Status(p2.CID) })
		if ps.Ratified || len(ps.Yes) != 2 || ps.Stewards != 3 {
			t.Fatalf("%s: the later proposal %+v: want 2 yes of 3 stewards in force, the removed steward's vote not counted, not ratified", n.ID(), ps)
		}
	}
}
