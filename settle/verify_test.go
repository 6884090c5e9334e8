package settle

import (
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

func policy(ref string) (int, bool) {
	if ref == "MIP-HLT@1" {
		return 2, true
	}
	return 0, false
}

func proofBody(mip string, claim map[string]any) *protocol.Proof {
	return &protocol.Proof{MIP: mip, Claim: claim, Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1}}
}

func attest(tb testing.TB, a *author, p *Record, verdict, note string) *Record {
	return a.next(tb, protocol.KindAttest, p.Entry.District, &protocol.Attest{Proof: protocol.LinkTo(p.CID), Verdict: verdict, Note: note})
}

func TestVerification(t *testing.T) {
	steward, v1, v2, v3, clinic := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4), newAuthor(t, 5)
	gen := steward.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(steward), Verifiers: ids(v1)})
	grant := steward.next(t, KindRole, "meso", &Role{Subject: []byte(v2.id), Role: RoleVerifier, Grant: true})
	proof := clinic.next(t, protocol.KindProof, "meso", proofBody("MIP-HLT@1", map[string]any{"n": uint64(1)}))
	unknown := clinic.next(t, protocol.KindProof, "meso", proofBody("MIP-XYZ@1", map[string]any{}))
	recs := []*Record{gen, grant, proof, unknown,
		attest(t, v1, proof, protocol.Valid, "checked"),
		attest(t, v3, proof, protocol.Valid, "stranger"),
		attest(t, clinic, proof, protocol.Valid, "self"),
		attest(t, v2, proof, protocol.Invalid, "first look"),
	}
	st, _ := Verify(setOf(recs...), policy, nil).Status(proof.CID)
	if st.Verified || st.Valid != 1 || len(st.Attestations) != 4 {
		t.Fatalf("before v2 agrees: %+v", st)
	}
	recs = append(recs, attest(t, v2, proof, protocol.Valid, "second look"))
	v := Verify(setOf(recs...), policy, nil)
	st, _ = v.Status(proof.CID)
	if !st.Verified || st.Valid != 2 {
		t.Fatalf("after v2 agrees: %+v", st)
	}
	why := map[string]string{}
	for _, a := range st.Attestations {
		why[a.Note] = a.Why
	}
	want := map[string]string{"checked": "", "stranger": WhyStranger, "self": WhyAuthor, "first look": WhySuperseded, "second look": ""}
	for n, w := range want {
		if why[n] != w {
			t.Errorf("attestation %q: why %q, want %q", n, why[n], w)
		}
	}
	if u, _ := v.Status(unknown.CID); u.Known || u.Verified {
		t.Errorf("proof of an unknown MIP: %+v", u)
	}
	if got := v.Verified(); len(got) != 1 || got[0].Proof != proof.CID {
		t.Errorf("Verified() = %v", got)
	}

	recs = append(recs, steward.next(t, KindRole, "meso", &Role{Subject: []byte(v2.id), Role: RoleVerifier, Grant: false}))
	if st, _ := Verify(setOf(recs...), policy, nil).Status(proof.CID); st.Verified {
		t.Fatalf("verified after the steward revoked v2: %+v", st)
	}
}

func TestRosterGenesisAndPins(t *testing.T) {
	a, b, v := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	first := a.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(a), Verifiers: ids(v)})
	squat := b.at(t, 1, cid.Undef, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(b)})
	mismatch := b.at(t, 1, cid.Undef, KindDistrict, "other", &District{Name: "meso", Stewards: ids(b)})
	s := setOf(first, squat, mismatch)
	// Same claimed time: the smaller CID wins unpinned; a pin decides outright.
	want := first
	if earlier(squat, first) {
		want = squat
	}
	if got := Rosters(s, Flags{}, nil)["meso"].Genesis; got != want {
		t.Fatalf("unpinned genesis %s, want %s", got.CID, want.CID)
	}
	r := Rosters(s, Flags{}, Pins{"meso": first.CID})["meso"]
	if r.Genesis != first || !r.Verifiers[v.id] || !r.Stewards[a.id] || r.Stewards[b.id] {
		t.Fatalf("pinned roster %+v", r)
	}
	if Rosters(s, Flags{a.id: true}, Pins{"meso": first.CID})["meso"].Stewards[a.id] {
		t.Fatal("a flagged steward keeps its role")
	}
}
