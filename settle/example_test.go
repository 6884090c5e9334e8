package settle_test

import (
	"bytes"
	"fmt"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

const district = "meso-valley/north"

// A funder pledges 10 credits per verified MIP-HLT proof; a clinic
// publishes one and the district's two verifiers attest it. The plan owes
// the clinic one receipt; once it is in the set, nothing more is due and
// the balances show the payment.
func Example() {
	tb := entrytest.PanicTB{}
	steward, clinic, funder := entrytest.NewAuthor(tb, 1), entrytest.NewAuthor(tb, 2), entrytest.NewAuthor(tb, 3)
	v1, v2 := entrytest.NewAuthor(tb, 4), entrytest.NewAuthor(tb, 5)
	name := map[string]string{string(clinic.ID): "clinic", string(funder.ID): "funder"}

	k := protocol.DefaultKinds()
	settle.Register(k)
	var blocks []protocol.Block
	sign := func(a *entrytest.Author, kind string, body protocol.Body) *settle.Record {
		r := a.Next(tb, k, kind, district, 1000, body)
		blocks = append(blocks, r.Block)
		return r
	}
	sign(steward, settle.KindDistrict, &settle.District{
		Name: district, Stewards: [][]byte{[]byte(steward.ID)}, Verifiers: [][]byte{[]byte(v1.ID), []byte(v2.ID)},
		Limits: map[string]uint64{"credit": 100},
	})
	sign(funder, protocol.KindPledge, &settle.Pledge{MIP: "MIP-HLT@1", District: district, Amount: 10, Unit: "credit", Cap: 30})
	proof := sign(clinic, protocol.KindProof, &protocol.Proof{
		MIP: "MIP-HLT@1", Claim: map[string]any{"cohort_size": 40, "measure": "hba1c", "unit": "mmol_mol",
			"baseline_x10": 685, "outcome_x10": 583, "period_days": 180, "method": "pre_post_cohort"},
		Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1},
		Period:   protocol.Period{Start: 1, End: 2},
	})
	for _, v := range []*entrytest.Author{v1, v2} {
		sign(v, protocol.KindAttest, &protocol.Attest{Proof: protocol.LinkTo(proof.CID), Verdict: protocol.Valid})
	}

	l := settle.NewLedger(nil)
	for _, b := range blocks {
		l.Add(settle.Decode(k, b))
	}
	v := settle.Verify(l.Set(), settle.PolicyOf(mip.Builtins()), nil)
	st, _ := v.Status(proof.CID)
	fmt.Println("verified:", st.Verified)

	me, nowMillis := funder.ID, int64(2000)
	due := settle.PlanFor(me, l.Set(), v, nowMillis)
	for _, d := range due {
		fmt.Println("owe", name[string(d.Receipt.Payee)], d.Receipt.Amount, d.Receipt.Unit)
		l.Add(funder.Next(tb, k, protocol.KindReceipt, d.District, nowMillis, &d.Receipt))
	}
	fmt.Println("due after paying:", len(settle.PlanFor(me, l.Set(), v, nowMillis)))
	for _, b := range l.Balances() {
		fmt.Println(name[string(b.Account)], b.Unit, b.Balance)
	}
	// Output:
	// verified: true
	// owe clinic 10 credit
	// due after paying: 0
	// clinic credit 10
	// funder credit -10
}

// An author signs two entries at one seq. Every follower plans the same
// fraud entry against it; once one is held, whoever wrote it, no one
// plans another.
func ExamplePlanFrauds() {
	tb := entrytest.PanicTB{}
	k := protocol.DefaultKinds()
	settle.Register(k)
	forker, other := entrytest.NewAuthor(tb, 1), entrytest.NewAuthor(tb, 3)
	me := entrytest.NewAuthor(tb, 2).ID
	left := forker.Next(tb, k, protocol.KindAttest, district, 1000, &protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte("a"))), Verdict: protocol.Valid})
	forker.Seq, forker.Prev = 0, cid.Undef // sign seq 1 again
	right := forker.Next(tb, k, protocol.KindAttest, district, 1000, &protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte("a"))), Verdict: protocol.Invalid})

	s := settle.NewSet()
	s.Insert(left)
	s.Insert(right)
	convicted := settle.ConvictedIn(s)
	plan := settle.PlanFrauds(me, s, s.Forked(), convicted)
	for _, d := range plan {
		fmt.Println(d.Accused == forker.ID, d.District)
	}

	theirs := settle.PlanFrauds(other.ID, s, s.Forked(), convicted)
	fmt.Println("same body:", bytes.Equal(theirs[0].Fraud.First, plan[0].Fraud.First) && bytes.Equal(theirs[0].Fraud.Second, plan[0].Fraud.Second))
	r := other.Next(tb, k, protocol.KindFraud, theirs[0].District, 2000, theirs[0].Fraud)
	s.Insert(r)
	convicted.Note(r)
	fmt.Println(len(settle.PlanFrauds(me, s, s.Forked(), convicted)), "due once another's is held")
	// Output:
	// true meso-valley/north
	// same body: true
	// 0 due once another's is held
}
