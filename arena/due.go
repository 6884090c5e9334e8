package arena

import (
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Payment is one receipt a poster owes: Amount of Unit to Solver for its
// accepted Solution of Problem.
type Payment struct {
	Solver   peer.ID
	Problem  cid.Cid
	Solution cid.Cid
	Amount   uint64
	Unit     string
	District string // the problem's
}

// Receipt returns the receipt body that makes the payment: for links the
// problem and the solution, so that the pair is never due again.
func (p Payment) Receipt() *settle.Receipt {
	return &settle.Receipt{
		Payee: []byte(p.Solver), Amount: p.Amount, Unit: p.Unit,
		For: []protocol.Link{protocol.LinkTo(p.Problem), protocol.LinkTo(p.Solution)},
	}
}

// Due lists what poster owes at at, by problem CID bytes then share
// order. For each solved problem of poster with a bounty, each accepted
// solution (Status.Solved) is owed its share as cut by the bounty, unless
// a receipt of poster links a block of both the problem and the
// solution in its for. The payments of one problem never take the
// bounty beyond its amount: what poster's receipts linking the problem
// already paid in the bounty's unit is taken off first, and a share is
// cut to what is left. Shares of 0 owe nothing. The poster's credit
// limit is the node's to apply when it writes the receipts.
func Due(v *View, poster peer.ID, at At) []Payment {
	paid, spent := v.paid(poster)
	var out []Payment
	for _, st := range v.Problems(at) {
		if st.Poster != poster || st.State != Solved || st.Problem.Bounty == 0 {
			continue
		}
		left := st.Problem.Bounty - min(st.Problem.Bounty, spent[unitOf{st.ID, st.Problem.Unit}])
		for _, s := range st.Solved {
			sid := v.set.IDs[s.CID]
			if paid[[2]protocol.ID{st.ID, sid}] {
				continue
			}
			amount := min(s.Share, left)
			if amount == 0 {
				continue
			}
			left -= amount
			out = append(out, Payment{
				Solver: s.Solver, Problem: st.CID, Solution: s.CID,
				Amount: amount, Unit: st.Problem.Unit, District: st.District,
			})
		}
	}
	return out
}

type unitOf struct {
	problem protocol.ID
	unit    string
}

// paid returns the (problem, solution) pairs receipts of payer link, and
// what they paid per (problem, unit), each receipt counted once per
// problem it links.
func (v *View) paid(payer peer.ID) (map[[2]protocol.ID]bool, map[unitOf]uint64) {
	pairs, spent := map[[2]protocol.ID]bool{}, map[unitOf]uint64{}
	for _, e := range v.receipts[payer] {
		rc, _ := e.Rec().Receipt()
		var problems, solutions []protocol.ID
		for _, l := range rc.For {
			id, ok := v.set.IDs[l.Cid]
			if !ok {
				continue
			}
			switch v.set.Entries[id].Rec().Body.(type) {
			case *Problem:
				if !containsID(problems, id) {
					problems = append(problems, id)
					k := unitOf{id, rc.Unit}
					spent[k] = min(spent[k]+rc.Amount, settle.MaxAmount+1) // never wraps: each amount is at most MaxAmount
				}
			case *Solution:
				solutions = append(solutions, id)
			}
		}
		for _, p := range problems {
			for _, s := range solutions {
				pairs[[2]protocol.ID{p, s}] = true
			}
		}
	}
	return pairs, spent
}

func containsID(ids []protocol.ID, id protocol.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
