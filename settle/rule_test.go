package settle

import (
	"reflect"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// pol knows the built-in MIP-HLT@1 and a published MIP-TST@1, one
// attestation each.
func pol(ref string) (int, bool) { return 1, ref == "MIP-HLT@1" || ref == "MIP-TST@1" }

// TestRuleMIPs: a built-in MIP counts in every district until its votes
// retire it there; a published one counts only where its votes activate
// it; the incremental verifier agrees with VerifyUnder as rules change.
func TestRuleMIPs(t *testing.T) {
	steward, v1, clinic := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	gen := steward.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(steward), Verifiers: ids(v1)})
	hlt := clinic.next(t, protocol.KindProof, "meso", proofBody("MIP-HLT@1", map[string]any{"n": uint64(1)}))
	tst := clinic.next(t, protocol.KindProof, "meso", proofBody("MIP-TST@1", map[string]any{"n": uint64(1)}))
	recs := []*Record{gen, hlt, tst, attest(t, v1, hlt, protocol.Valid, ""), attest(t, v1, tst, protocol.Valid, "")}
	base := Rule{Stewards: []peer.ID{steward.id}, Verifiers: []peer.ID{v1.id}}
	activated, retired := base, base
	activated.MIPs = []string{"MIP-TST@1"}
	retired.Retired = []string{"MIP-HLT@1"}
	l := NewLedger(nil)
	v := NewVerifier(l.Set(), pol, nil)
	for _, r := range recs {
		v.Add(r, l.Add(r))
	}
	for _, c := range []struct {
		name     string
		rules    Rules
		hlt, tst bool
	}{
		{"no votes", nil, true, false},
		{"a rule with nothing ratified", Rules{"meso": &base}, true, false},
		{"MIP-TST@1 activated", Rules{"meso": &activated}, true, true},
		{"MIP-HLT@1 retired", Rules{"meso": &retired}, false, false},
		{"a rule of another district", Rules{"other": &activated}, true, false},
	} {
		v.SetRules(c.rules)
		full := VerifyUnder(l.Set(), pol, nil, c.rules)
		if got := v.View().All(); !reflect.DeepEqual(got, full.All()) {
			t.Fatalf("%s: incremental %+v, full %+v", c.name, got, full.All())
		}
		h, _ := full.Status(hlt.CID)
		s, _ := full.Status(tst.CID)
		if h.Verified != c.hlt || s.Verified != c.tst || h.InForce != c.hlt || s.InForce != c.tst {
			t.Errorf("%s: MIP-HLT@1 verified %v (in force %v), MIP-TST@1 %v (%v); want %v, %v", c.name, h.Verified, h.InForce, s.Verified, s.InForce, c.hlt, c.tst)
		}
	}
	// A limit set by vote changes no verification: the view stays.
	limited := activated
	limited.Limits = map[string]uint64{"credit": 7}
	v.SetRules(Rules{"meso": &activated})
	_ = v.View()
	v.SetRules(Rules{"meso": &limited})
	if v.Stale() {
		t.Error("a change of limits alone made the verification view stale")
	}
}

// TestRuleRoster: under a rule the roster grows from the rule's stewards
// and verifiers; a steward the votes removed stops granting (its role
// entries count for nothing), and a peer the votes unseated gets no role
// back from a role entry.
func TestRuleRoster(t *testing.T) {
	s1, s2, v1, v2, v3 := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4), newAuthor(t, 5)
	gen := s1.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(s1, s2), Verifiers: ids(v1), Limits: map[string]uint64{"credit": 10}})
	byS2 := s2.next(t, KindRole, "meso", &Role{Subject: []byte(v2.id), Role: RoleVerifier, Grant: true})
	byS1 := s1.next(t, KindRole, "meso", &Role{Subject: []byte(v3.id), Role: RoleVerifier, Grant: true})
	regrant := s1.next(t, KindRole, "meso", &Role{Subject: []byte(v1.id), Role: RoleVerifier, Grant: true})
	s := setOf(gen, byS2, byS1, regrant)

	ro := Rosters(s, nil, nil)["meso"]
	if !ro.Verifiers[v1.id] || !ro.Verifiers[v2.id] || !ro.Verifiers[v3.id] || !ro.Stewards[s2.id] {
		t.Fatalf("without a rule: stewards %v verifiers %v", ro.Stewards, ro.Verifiers)
	}
	// The votes removed s2 as a steward and v1 as a verifier.
	rules := Rules{"meso": {Stewards: []peer.ID{s1.id}, UnseatedStewards: []peer.ID{s2.id}, UnseatedVerifiers: []peer.ID{v1.id}, Limits: map[string]uint64{"credit": 99}}}
	ro = RostersUnder(s, nil, nil, rules)["meso"]
	switch {
	case ro.Stewards[s2.id]:
		t.Error("a steward voted out is still a steward")
	case ro.Verifiers[v2.id]:
		t.Error("the grant of a steward voted out still counts")
	case !ro.Verifiers[v3.id]:
		t.Error("the grant of a steward in force does not count")
	case ro.Verifiers[v1.id]:
		t.Error("a role entry gave an unseated verifier its role back")
	case ro.Limits["credit"] != 99:
		t.Errorf("limit %d, want the rule's 99", ro.Limits["credit"])
	}
	// Members follow the same rules.
	m := MembersOf(s, []string{"meso"}, nil)
	if !m.Member(v2.id) {
		t.Fatal("members without a rule lack v2")
	}
	m.SetRules(rules)
	if m.Member(v2.id) || m.Member(s2.id) || !m.Member(v3.id) {
		t.Error("members under the rule still hold the removed steward or its grantee")
	}
}

// TestRuleLimits: a rule's credit limit covers what the genesis's did not.
func TestRuleLimits(t *testing.T) {
	steward, payer, payee := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	gen := steward.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(steward), Limits: map[string]uint64{"credit": 10}})
	pay := payer.pay(t, "meso", payee, 50, "credit")
	l := ledgerOf(gen, pay)
	if l.Covered(payer.id, pay.ID.Seq) {
		t.Fatal("50 covered under a limit of 10")
	}
	l.SetRules(Rules{"meso": {Stewards: []peer.ID{steward.id}, Limits: map[string]uint64{"credit": 100}}})
	if !l.Covered(payer.id, pay.ID.Seq) {
		t.Fatal("50 not covered under a limit of 100 set by vote")
	}
	full := Compute(setOf(gen, pay), nil)
	full.SetRules(Rules{"meso": {Stewards: []peer.ID{steward.id}, Limits: map[string]uint64{"credit": 100}}})
	if l.Digest() != full.Digest() {
		t.Fatal("digests differ")
	}
}
