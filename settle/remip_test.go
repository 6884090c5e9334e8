package settle

import (
	"reflect"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

// TestVerifierMIPEntry: a mip entry that makes a ref known, or whose
// definition wins the ref from another one with a different policy,
// judges again the proofs under it without a recomputation, and the view
// equals Verify's from scratch; a mip entry that changes nothing leaves
// the view alone.
func TestVerifierMIPEntry(t *testing.T) {
	mk := protocol.DefaultKinds()
	Register(mk)
	mip.Register(mk)
	g, v1, v2, clinic, pub := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4), newAuthor(t, 5)
	hlt, _ := mip.Builtins().Lookup("MIP-HLT@1")
	doc := func(k int) *Record {
		m := hlt
		m.ID, m.Policy.Attestations = "MIP-TST", k
		d := mip.DocOf(m)
		return Decode(mk, pub.next(t, protocol.KindMIP, "", &d).Block)
	}
	one, two, again := doc(1), doc(2), doc(1) // two definitions of MIP-TST@1
	winner := 1                               // the one with the smaller CID
	if two.CID.KeyString() < one.CID.KeyString() {
		winner = 2
	}
	recs := []*Record{g.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(g), Verifiers: ids(v1, v2)})}
	for _, ref := range []string{"MIP-TST@1", "MIP-HLT@1"} {
		p := clinic.next(t, protocol.KindProof, "meso", proofBody(ref, map[string]any{"n": uint64(1)}))
		recs = append(recs, p, attest(t, v1, p, protocol.Valid, ""))
	}
	for _, mips := range [][]*Record{{one, two, again}, {two, one, again}} {
		reg := mip.New()
		pol := PolicyOf(reg)
		l := NewLedger(nil)
		v := NewVerifier(l.Set(), pol, nil)
		// A MIP published as an entry counts in a district once its
		// stewards activate it there.
		rules := Rules{"meso": {Stewards: []peer.ID{g.id}, Verifiers: []peer.ID{v1.id, v2.id}, MIPs: []string{"MIP-TST@1"}}}
		v.SetRules(rules)
		for _, r := range recs {
			v.Add(r, l.Add(r))
		}
		_ = v.View() // the genesis made it stale
		check := func(when string, verified int) {
			t.Helper()
			if v.Stale() {
				t.Fatalf("%s: the view went stale", when)
			}
			got, full := v.View().All(), VerifyUnder(l.Set(), pol, nil, rules).All()
			if !reflect.DeepEqual(got, full) {
				t.Fatalf("%s: views differ:\nincremental %+v\nfull        %+v", when, got, full)
			}
			if n := len(v.View().Verified()); n != verified {
				t.Fatalf("%s: %d proofs verified, want %d", when, n, verified)
			}
		}
		check("before any mip entry", 0)
		for i, r := range mips {
			_ = reg.Load(r.Block) // a conflict is an error, and keeps the smaller CID
			v.Add(r, l.Add(r))
			want := 1 // MIP-TST@1 with one attestation
			if i == 0 && r == two || i > 0 && winner == 2 {
				want = 0
			}
			check("mip entry "+string(rune('1'+i)), want)
		}
	}
}
