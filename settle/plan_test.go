package settle

import (
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

func TestPlanExactlyOnceWithinCap(t *testing.T) {
	st, v1, v2, funder, clinic := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4), newAuthor(t, 5)
	recs := []*Record{st.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(st), Verifiers: ids(v1, v2)})}
	pledge := funder.next(t, protocol.KindPledge, "meso", &Pledge{
		MIP: "MIP-HLT@1", District: "meso", Amount: 100, Unit: "USD-cents", Cap: 200,
		Where: []Cond{{"age", ">=", uint64(18)}},
	})
	recs = append(recs, pledge)
	var proofs []*Record
	for _, age := range []uint64{30, 40, 50, 10} {
		p := clinic.next(t, protocol.KindProof, "meso", proofBody("MIP-HLT@1", map[string]any{"age": age}))
		proofs = append(proofs, p)
		recs = append(recs, p, attest(t, v1, p, protocol.Valid, ""), attest(t, v2, p, protocol.Valid, ""))
	}
	s := setOf(recs...)
	due := PlanFor(funder.id, s, Verify(s, policy, nil), 0)
	if len(due) != 2 {
		t.Fatalf("planned %d receipts, want 2 (cap 200 at 100 each): %+v", len(due), due)
	}
	for _, d := range due {
		if d.Proof == proofs[3].CID {
			t.Fatal("paid a proof whose claim fails the condition")
		}
		if string(d.Receipt.Payee) != string(clinic.id) || d.Receipt.Check() != nil {
			t.Fatalf("bad receipt %+v", d.Receipt)
		}
		s.Insert(funder.next(t, protocol.KindReceipt, d.District, &d.Receipt))
	}
	if again := PlanFor(funder.id, s, Verify(s, policy, nil), 0); len(again) != 0 {
		t.Fatalf("re-planning after paying planned %d more", len(again))
	}
}

func TestPlanRules(t *testing.T) {
	funder, clinic := newAuthor(t, 4), newAuthor(t, 5)
	p1 := Pledged{CID: protocol.Sum([]byte("p1")), Pledge: &Pledge{MIP: "MIP-HLT@1", District: "meso", Amount: 5, Unit: "credit", Cap: 50, Expires: 2000}}
	p2 := Pledged{CID: protocol.Sum([]byte("p2")), Pledge: &Pledge{MIP: "MIP-HLT@1", District: "meso", Amount: 7, Unit: "credit", Cap: 50}}
	proof := func(name string, by *author, mip, district string) Status {
		return Status{Proof: protocol.Sum([]byte(name)), Author: by.id, MIP: mip, District: district, Verified: true}
	}
	a := proof("a", clinic, "MIP-HLT@1", "meso")
	tests := []struct {
		name    string
		pledges []Pledged
		issued  []*Receipt
		proofs  []Status
		now     int64
		want    int
	}{
		{"two pledges pay one proof once", []Pledged{p1, p2}, nil, []Status{a}, 0, 1},
		{"expired pledge", []Pledged{p1}, nil, []Status{a}, 2000, 0},
		{"already paid", []Pledged{p1, p2}, []*Receipt{{Amount: 1, For: []protocol.Link{protocol.LinkTo(a.Proof)}}}, []Status{a}, 0, 0},
		{"cap spent", []Pledged{p1}, []*Receipt{{Amount: 50, For: []protocol.Link{protocol.LinkTo(p1.CID)}}}, []Status{a}, 0, 0},
		{"other district", []Pledged{p1}, nil, []Status{proof("b", clinic, "MIP-HLT@1", "south")}, 0, 0},
		{"other mip", []Pledged{p1}, nil, []Status{proof("c", clinic, "MIP-EDU@1", "meso")}, 0, 0},
		{"own proof", []Pledged{p1}, nil, []Status{proof("d", funder, "MIP-HLT@1", "meso")}, 0, 0},
		{"withdrawn", []Pledged{{CID: p2.CID, Pledge: p2.Pledge, Withdrawn: true}}, nil, []Status{a}, 0, 0},
		{"not verified", []Pledged{p1}, nil, []Status{{Proof: a.Proof, Author: clinic.id, MIP: a.MIP, District: "meso"}}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Plan(funder.id, tt.pledges, tt.issued, tt.proofs, tt.now); len(got) != tt.want {
				t.Fatalf("planned %d, want %d: %+v", len(got), tt.want, got)
			}
		})
	}
}
