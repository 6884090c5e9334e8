package settle

import (
	"slices"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

// withdrawScene is a district with two verifiers, a funder's pledge of 100
// per proof up to 300, and three verified proofs by a clinic.
func withdrawScene(t *testing.T) (funder, clinic *author, pledge *Record, recs []*Record) {
	st, v1, v2 := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	funder, clinic = newAuthor(t, 4), newAuthor(t, 5)
	recs = []*Record{st.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(st), Verifiers: ids(v1, v2)})}
	pledge = funder.next(t, protocol.KindPledge, "meso", &Pledge{MIP: "MIP-HLT@1", District: "meso", Amount: 100, Unit: "credit", Cap: 300})
	recs = append(recs, pledge)
	for _, n := range []uint64{1, 2, 3} {
		p := clinic.next(t, protocol.KindProof, "meso", proofBody("MIP-HLT@1", map[string]any{"n": n}))
		recs = append(recs, p, attest(t, v1, p, protocol.Valid, ""), attest(t, v2, p, protocol.Valid, ""))
	}
	return funder, clinic, pledge, recs
}

// TestWithdrawEndsPledge: after the funder's withdraw entry no receipt is
// planned under the pledge, on any replica whatever order it received the
// entries in; what was paid before stays paid and counts in Pledges.
func TestWithdrawEndsPledge(t *testing.T) {
	funder, _, pledge, recs := withdrawScene(t)
	s := setOf(recs...)
	due := PlanFor(funder.id, s, Verify(s, policy, nil), 0)
	if len(due) != 3 {
		t.Fatalf("planned %d before the withdraw, want 3", len(due))
	}
	paid := funder.next(t, protocol.KindReceipt, "meso", &due[0].Receipt)
	end := funder.next(t, KindWithdraw, "meso", &Withdraw{Pledge: protocol.LinkTo(pledge.CID), Reason: "budget spent"})
	recs = append(recs, paid, end)
	rev := slices.Clone(recs)
	slices.Reverse(rev)
	for _, order := range [][]*Record{recs, rev} {
		s := setOf(order...)
		if due := PlanFor(funder.id, s, Verify(s, policy, nil), 0); len(due) != 0 {
			t.Fatalf("planned %d after the withdraw", len(due))
		}
		ps := Pledges(s)
		if len(ps) != 1 || !ps[0].Withdrawn || ps[0].Paid != 100 || ps[0].Receipts != 1 || ps[0].Left != 0 || ps[0].Seq != 1 {
			t.Fatalf("pledges %+v", ps)
		}
	}
}

// TestWithdrawByOtherEndsNothing: only the pledge's author ends it.
func TestWithdrawByOtherEndsNothing(t *testing.T) {
	funder, clinic, pledge, recs := withdrawScene(t)
	recs = append(recs, clinic.next(t, KindWithdraw, "meso", &Withdraw{Pledge: protocol.LinkTo(pledge.CID)}))
	s := setOf(recs...)
	if due := PlanFor(funder.id, s, Verify(s, policy, nil), 0); len(due) != 3 {
		t.Fatalf("a stranger's withdraw changed the plan: %d due", len(due))
	}
	if ps := Pledges(s); len(ps) != 1 || ps[0].Withdrawn || ps[0].Left != 300 {
		t.Fatalf("pledges %+v", ps)
	}
}

func TestWithdrawCheck(t *testing.T) {
	if err := (&Withdraw{}).Check(); err == nil {
		t.Fatal("a withdraw naming no pledge checks")
	}
	long := make([]byte, MaxMemo+1)
	if err := (&Withdraw{Pledge: protocol.LinkTo(protocol.Sum([]byte("p"))), Reason: string(long)}).Check(); err == nil {
		t.Fatal("an over-long reason checks")
	}
}

// TestWithdrawBeforePledgeEndsNothing: a withdraw at a lower seq than the
// pledge it names (signed later into a gap) ends nothing: "after" is the
// author's log order.
func TestWithdrawBeforePledgeEndsNothing(t *testing.T) {
	_, _, _, recs := withdrawScene(t)
	late := newAuthor(t, 4) // the funder's key: seq 2 and 3 of its log
	pledge := late.at(t, 3, protocol.Sum([]byte("prev")), protocol.KindPledge, "meso", &Pledge{MIP: "MIP-HLT@1", District: "meso", Amount: 7, Unit: "credit", Cap: 70})
	early := late.at(t, 2, protocol.Sum([]byte("prev")), KindWithdraw, "meso", &Withdraw{Pledge: protocol.LinkTo(pledge.CID)})
	s := setOf(append(recs, pledge, early)...)
	found := false
	for _, p := range Pledges(s) {
		if p.CID == pledge.CID {
			found = true
			if p.Withdrawn {
				t.Fatal("a withdraw at a lower seq ended the pledge")
			}
		}
	}
	if !found || Ended(s, late.id, pledge.CID) {
		t.Fatalf("pledge found %v, ended %v", found, Ended(s, late.id, pledge.CID))
	}
}
