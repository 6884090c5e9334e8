package grid

import (
	"bytes"
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Payment is one receipt a requester owes: Amount of Unit to Provider for
// its agreeing Result on Job.
type Payment struct {
	Provider peer.ID
	Job      cid.Cid
	Result   cid.Cid
	Amount   uint64
	Unit     string
	District string // the job's
}

// Receipt returns the receipt body that makes the payment: for links the
// job and the result, so that the pair is never due again.
func (p Payment) Receipt() *settle.Receipt {
	return &settle.Receipt{
		Payee: []byte(p.Provider), Amount: p.Amount, Unit: p.Unit,
		For: []protocol.Link{protocol.LinkTo(p.Job), protocol.LinkTo(p.Result)},
	}
}

// Due lists what requester owes, by job CID bytes then provider bytes.
// For each verified job of requester, each provider in the majority is
// owed the price of its offer in force when it wrote its result (its
// offer entry with the highest seq below the result's, of two at one
// seq the larger payload digest), when that offer is not withdrawn, its
// unit is the job's, and its price is 1..the job's MaxPrice. Nothing is
// due for a pair (job, result) once any receipt of requester links a
// block of both in its for.
func Due(v *View, requester peer.ID) []Payment {
	paid := v.paid(requester)
	var out []Payment
	for _, st := range v.Asked(requester) {
		if st.State != Verified {
			continue
		}
		for _, a := range st.Answers {
			if !a.Agrees || paid[[2]protocol.ID{st.ID, v.set.IDs[a.CID]}] {
				continue
			}
			if price, ok := v.price(a, &st.Job); ok {
				out = append(out, Payment{
					Provider: a.Provider, Job: st.CID, Result: a.CID,
					Amount: price, Unit: st.Job.Unit, District: st.Job.District,
				})
			}
		}
	}
	return out
}

// price returns what the provider of a asks for job j.
func (v *View) price(a Answer, j *Job) (uint64, bool) {
	e := v.latestOffer(a.Provider, a.Seq)
	if e == nil {
		return 0, false
	}
	o := e.Rec().Body.(*Offer)
	if o.Withdrawn || o.Unit != j.Unit || o.Price == 0 || o.Price > j.MaxPrice {
		return 0, false
	}
	return o.Price, true
}

// paid returns the (job, result) pairs that receipts of payer link.
func (v *View) paid(payer peer.ID) map[[2]protocol.ID]bool {
	out := map[[2]protocol.ID]bool{}
	for _, e := range v.receipts[payer] {
		rc, _ := e.Rec().Receipt()
		var jobs, results []protocol.ID
		for _, l := range rc.For {
			id, ok := v.set.IDs[l.Cid]
			if !ok {
				continue
			}
			switch v.set.Entries[id].Rec().Body.(type) {
			case *Job:
				jobs = append(jobs, id)
			case *Result:
				results = append(results, id)
			}
		}
		for _, j := range jobs {
			for _, r := range results {
				out[[2]protocol.ID{j, r}] = true
			}
		}
	}
	return out
}

// PaidReceipt is a receipt that pays for a job.
type PaidReceipt struct {
	CID    cid.Cid // the smallest CID of the receipt entry's blocks
	Payee  peer.ID
	Amount uint64
	Unit   string
}

// Paid lists payer's receipts whose for links the job c names (any block
// of it), by CID bytes.
func (v *View) Paid(payer peer.ID, c cid.Cid) []PaidReceipt {
	id, ok := v.set.IDs[c]
	if !ok {
		return nil
	}
	var out []PaidReceipt
	for _, e := range v.receipts[payer] {
		rc, _ := e.Rec().Receipt()
		for _, l := range rc.For {
			if jid, ok := v.set.IDs[l.Cid]; ok && jid == id {
				out = append(out, PaidReceipt{CID: e.CID, Payee: rc.To(), Amount: rc.Amount, Unit: rc.Unit})
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b PaidReceipt) int { return bytes.Compare(a.CID.Bytes(), b.CID.Bytes()) })
	return out
}
