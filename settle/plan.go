package settle

import (
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Pledged is a pledge entry: its CID and body, and whether its author's
// log holds a withdraw of it after it (see Withdraw).
type Pledged struct {
	CID       cid.Cid
	Pledge    *Pledge
	Withdrawn bool
}

// Due is a receipt a pledger owes now: Receipt pays the proof's author for
// Proof under Pledge, and its For links both, which is how later plans
// know it was paid. The pledger appends it in District.
type Due struct {
	Pledge   cid.Cid
	Proof    cid.Cid
	District string
	Receipt  Receipt
}

// Plan returns the receipts a pledger must issue now, given its pledges,
// the receipts it already issued, and the verified proofs. The rule:
//
//   - a proof is paid once at most, across all pledges: a proof linked by
//     any issued receipt's For is paid;
//   - a withdrawn pledge takes no proof: the pledger's log holds a
//     withdraw entry of it at a higher seq than the pledge, so no receipt
//     under it is due at any seq after the withdraw;
//   - a pledge takes a proof when it is live at now, names the proof's
//     MIP and district, and its conditions hold on the claim; proofs by
//     the pledger itself are never paid;
//   - a pledge never pays beyond its cap: issued receipts linking the
//     pledge count toward it, and a proof that would cross it is left;
//   - pledges are tried in CID order, proofs in CID order.
//
// Planning again after appending the result returns nothing new: the node
// gets exactly-once settlement by re-planning from what it holds.
func Plan(pledger peer.ID, pledges []Pledged, issued []*Receipt, proofs []Status, now int64) []Due {
	return plan(pledger, pledges, issued, proofs, now, func(c cid.Cid) cid.Cid { return c })
}

// plan is Plan with links resolved by named: a link to any block of an
// entry counts as a link to the block kept of it, so a proof paid under
// one of its blocks is paid.
func plan(pledger peer.ID, pledges []Pledged, issued []*Receipt, proofs []Status, now int64, named func(cid.Cid) cid.Cid) []Due {
	paid := map[cid.Cid]bool{}
	spent := map[cid.Cid]uint64{}
	for _, rc := range issued {
		linked := map[cid.Cid]bool{}
		for _, f := range rc.For {
			linked[named(f.Cid)] = true
		}
		for c := range linked {
			paid[c] = true
		}
		for _, p := range pledges {
			if linked[p.CID] {
				spent[p.CID] += rc.Amount
			}
		}
	}
	pledges = slices.SortedFunc(slices.Values(pledges), func(a, b Pledged) int {
		return strings.Compare(a.CID.KeyString(), b.CID.KeyString())
	})
	proofs = slices.SortedFunc(slices.Values(proofs), func(a, b Status) int {
		return strings.Compare(a.Proof.KeyString(), b.Proof.KeyString())
	})
	var due []Due
	for _, p := range pledges {
		if p.Withdrawn || !p.Pledge.Live(now) {
			continue
		}
		for _, st := range proofs {
			if paid[st.Proof] || !takes(p.Pledge, st, pledger) || spent[p.CID]+p.Pledge.Amount > p.Pledge.Cap {
				continue
			}
			paid[st.Proof] = true
			spent[p.CID] += p.Pledge.Amount
			due = append(due, owe(p, st))
		}
	}
	return due
}

func takes(p *Pledge, st Status, pledger peer.ID) bool {
	return st.Verified && st.Author != pledger && st.MIP == p.MIP &&
		st.District == p.District && p.Matches(st.Claim)
}

func owe(p Pledged, st Status) Due {
	return Due{
		Pledge: p.CID, Proof: st.Proof, District: p.Pledge.District,
		Receipt: Receipt{
			Payee: []byte(st.Author), Amount: p.Pledge.Amount, Unit: p.Pledge.Unit,
			For:  []protocol.Link{protocol.LinkTo(st.Proof), protocol.LinkTo(p.CID)},
			Memo: "pledge " + p.CID.String(),
		},
	}
}

// PlanFor is Plan over a set: the pledger's pledge and receipt entries in
// s (its own log, which its node holds whole) and the verified proofs of v
// (computed over s). A receipt's link to any block of a proof or pledge
// counts as a link to that entry.
func PlanFor(pledger peer.ID, s *Set, v *Verification, now int64) []Due {
	pledges, issued := ownLog(pledger, s)
	if !slices.ContainsFunc(pledges, func(p Pledged) bool { return !p.Withdrawn && p.Pledge.Live(now) }) {
		return nil // no pledge takes a proof: spare the sort of every status
	}
	return plan(pledger, pledges, issued, v.Verified(), now, s.keptCID)
}

// PlanOver is PlanFor over the given verified proofs only. A proof that
// was verified when Plan last ran over it and was not paid stays unpaid
// until the pledges change (caps only fill, pledges only expire or are
// withdrawn), so
// planning over the proofs verified since the last plan gives what
// PlanFor gives, at the cost of those proofs and the pledger's log.
func PlanOver(pledger peer.ID, s *Set, proofs []Status, now int64) []Due {
	pledges, issued := ownLog(pledger, s)
	return plan(pledger, pledges, issued, proofs, now, s.keptCID)
}

// ownLog returns the pledger's pledges and issued receipts held in s. A
// pledge is Withdrawn when a withdraw entry of the pledger at a higher seq
// links any block of it.
func ownLog(pledger peer.ID, s *Set) (pledges []Pledged, issued []*Receipt) {
	l, ok := s.logs.get(pledger)
	if !ok {
		return nil, nil
	}
	seqs := map[cid.Cid]uint64{}
	var ends []*Record
	l.each(func(r *Record) {
		switch b := r.Body.(type) {
		case *Pledge:
			pledges = append(pledges, Pledged{CID: r.CID, Pledge: b})
			seqs[r.CID] = r.ID.Seq
		case *Receipt:
			issued = append(issued, b)
		case *Withdraw:
			ends = append(ends, r)
		}
	})
	ended := map[cid.Cid]bool{}
	for _, r := range ends {
		c := s.keptCID(r.Body.(*Withdraw).Pledge.Cid)
		if seq, ok := seqs[c]; ok && r.ID.Seq > seq {
			ended[c] = true
		}
	}
	for i := range pledges {
		pledges[i].Withdrawn = ended[pledges[i].CID]
	}
	return pledges, issued
}
