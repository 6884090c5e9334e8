package settle

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/protocol/prototest"
)

// resign returns another block of r's entry (same ID, another CID).
func (a *author) resign(tb testing.TB, r *Record) *Record {
	tb.Helper()
	b, err := prototest.Resign(a.priv, r.Block, rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return Decode(kinds, b)
}

// TestDigestOfIdentities: replicas holding one receipt and one genesis by
// different blocks (one payload signed twice) compute one digest and one
// pledge plan.
func TestDigestOfIdentities(t *testing.T) {
	g, a, b := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	gen := g.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(g), Limits: map[string]uint64{"credit": 10}})
	ab := a.pay(t, "meso", b, 5, "credit")
	gen2, ab2 := g.resign(t, gen), a.resign(t, ab)
	one, two := ledgerOf(gen, ab), ledgerOf(gen2, ab2)
	if !one.Covered(a.id, 1) || !two.Covered(a.id, 1) {
		t.Fatal("the receipt is not covered")
	}
	if one.Digest() != two.Digest() {
		t.Fatal("digests differ between replicas holding the same identities by other blocks")
	}
	if both := ledgerOf(ab2, gen, ab, gen2); both.Digest() != one.Digest() {
		t.Fatal("a replica holding both blocks computes another digest")
	}
}

// TestGenesisOfIdentities: two district entries claiming one time: the
// genesis does not depend on which block of each a replica holds.
func TestGenesisOfIdentities(t *testing.T) {
	g, h := newAuthor(t, 1), newAuthor(t, 2)
	d1 := g.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(g)})
	d2 := h.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(h)})
	for range 8 { // a resigned block may sort either side of the other entry
		x, y := g.resign(t, d1), h.resign(t, d2)
		a := Genesis([]*Record{d1, d2}, cid.Undef)
		b := Genesis([]*Record{x, y}, cid.Undef)
		if a.ID != b.ID {
			t.Fatal("the genesis depends on the blocks held")
		}
	}
}

// signers derives the private key of every test author (seeds 0..255, as
// newAuthor makes them), so that any record of a universe can be re-signed.
var signers = sync.OnceValue(func() map[peer.ID]*author {
	out := map[peer.ID]*author{}
	for s := range 256 {
		a := newAuthor(&testing.T{}, byte(s))
		out[a.id] = a
	}
	return out
})

// twins re-signs every record of every universe: another block of the
// same entry.
var twins = sync.OnceValue(func() map[*Record]*Record {
	out := map[*Record]*Record{}
	tb := &testing.T{}
	for _, u := range universes() {
		for _, r := range u {
			out[r] = signers()[r.Author()].resign(tb, r)
		}
	}
	if tb.Failed() {
		panic("re-signing failed")
	}
	return out
})

// blocksOf gives each entry of recs by one or both of its blocks, in a
// random order. A proof keeps the block the universe's attestations name:
// a link names a block, and resolves once that block is held.
func blocksOf(t *rapid.T, recs []*Record, name string) []*Record {
	var out []*Record
	for i, r := range recs {
		pick := rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("%s%d", name, i))
		if r.Entry.Kind == protocol.KindProof && pick == 1 {
			pick = 2
		}
		if pick != 1 {
			out = append(out, r)
		}
		if pick != 0 {
			out = append(out, twins()[r])
		}
	}
	return rapid.Permutation(out).Draw(t, name+" order")
}

// identityView is view with the CIDs of kept blocks left out: what must
// agree between replicas holding other blocks of the same entries.
func identityView(l *Ledger) view {
	v := viewOf(l)
	for i := range v.Lines {
		v.Lines[i].CID = cid.Undef
	}
	for i := range v.Verified {
		v.Verified[i].Proof = cid.Undef
		for j := range v.Verified[i].Attestations {
			v.Verified[i].Attestations[j].CID = cid.Undef
		}
	}
	slices.SortFunc(v.Verified, func(a, b Status) int { return bytes.Compare(a.ID.Digest[:], b.ID.Digest[:]) })
	return v
}

// TestLawViewsOfIdentities: two replicas holding the same entries, each
// entry by either of its blocks or both, fed in any order, incrementally
// or from scratch, compute the same views and digest.
func TestLawViewsOfIdentities(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		one := ledgerOf(blocksOf(t, recs, "one")...)
		two := Compute(partitioned(t, blocksOf(t, recs, "two")), nil)
		if v1, v2 := identityView(one), identityView(two); !reflect.DeepEqual(v1, v2) {
			t.Fatalf("views differ:\none %+v\ntwo %+v", v1, v2)
		}
		l := NewLedger(nil)
		verifier := NewVerifier(l.Set(), policy, nil)
		for _, r := range blocksOf(t, recs, "three") {
			c := l.Add(r)
			verifier.Add(r, c)
		}
		got := verifier.View().All()
		want := Verify(l.Set(), policy, nil).All()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("incremental verification differs:\n%+v\n%+v", got, want)
		}
	})
}

// TestLinksNameEntries: attestations naming either block of one proof
// count for it, incrementally and from scratch, and a receipt linking
// either block pays it: the pledger never pays the proof twice.
func TestLinksNameEntries(t *testing.T) {
	st, v1, v2, funder, clinic := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4), newAuthor(t, 5)
	gen := st.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(st), Verifiers: ids(v1, v2)})
	pledge := funder.next(t, protocol.KindPledge, "meso", &Pledge{MIP: "MIP-HLT@1", District: "meso", Amount: 100, Unit: "USD-cents", Cap: 1000})
	p := clinic.next(t, protocol.KindProof, "meso", proofBody("MIP-HLT@1", map[string]any{"n": uint64(1)}))
	p2 := clinic.resign(t, p)
	recs := []*Record{gen, pledge, p, p2, attest(t, v1, p, protocol.Valid, ""), attest(t, v2, p2, protocol.Valid, "")}
	for _, order := range [][]*Record{recs, reversed(recs)} {
		l := NewLedger(nil)
		v := NewVerifier(l.Set(), policy, nil)
		for _, r := range order {
			v.Add(r, l.Add(r))
		}
		kept, _ := l.Set().Named(p.CID)
		for _, view := range []*Verification{v.View(), Verify(l.Set(), policy, nil)} {
			if s, ok := view.Status(kept.CID); !ok || !s.Verified || s.Valid != 2 {
				t.Fatalf("proof status %+v, want verified by both attestations", s)
			}
		}
		due := PlanFor(funder.id, l.Set(), v.View(), 0)
		if len(due) != 1 {
			t.Fatalf("planned %d receipts, want 1", len(due))
		}
		other := p.CID
		if due[0].Proof == p.CID {
			other = p2.CID
		}
		paid := due[0].Receipt
		paid.For = []protocol.Link{protocol.LinkTo(other), protocol.LinkTo(pledge.CID)}
		f := *funder
		l.Add(f.next(t, protocol.KindReceipt, "meso", &paid))
		if again := PlanFor(funder.id, l.Set(), Verify(l.Set(), policy, nil), 0); len(again) != 0 {
			t.Fatal("a receipt linking the proof's other block did not pay it")
		}
	}
}

func reversed(recs []*Record) []*Record {
	out := slices.Clone(recs)
	slices.Reverse(out)
	return out
}

// TestMembersPinAnotherBlock: a pin that names the block of the genesis a
// set does not keep pins that entry: the members are those of the
// genesis, whether computed at once or entry by entry, in either order.
func TestMembersPinAnotherBlock(t *testing.T) {
	g, v := newAuthor(t, 1), newAuthor(t, 2)
	gen := g.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(g), Verifiers: ids(v)})
	gen2 := g.resign(t, gen)
	for _, order := range [][]*Record{{gen, gen2}, {gen2, gen}} {
		for _, pin := range []cid.Cid{gen.CID, gen2.CID} {
			pins := Pins{"meso": pin}
			s := NewSet()
			m := MembersOf(s, []string{"meso"}, pins)
			for _, r := range order {
				s.Insert(r)
				m.Add(r)
			}
			if !m.Member(v.id) {
				t.Errorf("pin %s, order %s first: entry by entry, the genesis verifier is no member", pin, order[0].CID)
			}
			if !MembersOf(s, []string{"meso"}, pins).Member(v.id) {
				t.Errorf("pin %s, order %s first: at once, the genesis verifier is no member", pin, order[0].CID)
			}
		}
	}
}
