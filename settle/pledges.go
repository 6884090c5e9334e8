package settle

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// PledgeState is a pledge as its author's log held in a set shows it:
// what its receipts paid, what is left of its cap, and whether a withdraw
// ended it.
type PledgeState struct {
	CID       cid.Cid
	Author    peer.ID
	Seq       uint64
	Pledge    *Pledge
	Paid      uint64 // sum of the author's receipts that link the pledge
	Receipts  int    // how many they are
	Left      uint64 // Cap - Paid, or 0 once withdrawn or past the cap
	Withdrawn bool
}

// Pledges lists the pledges in s, by author bytes then seq, with what the
// author's receipts linking each paid. Like Plan, it reads only each
// author's own log; like every view, it is a function of the set.
func Pledges(s *Set) []PledgeState {
	var out []PledgeState
	for _, a := range s.Authors() {
		pledges, issued := ownLog(a, s)
		if len(pledges) == 0 {
			continue
		}
		l, _ := s.logs.get(a)
		seqs := map[cid.Cid]uint64{}
		l.each(func(r *Record) { seqs[r.CID] = r.ID.Seq })
		for _, p := range pledges {
			st := PledgeState{CID: p.CID, Author: a, Seq: seqs[p.CID], Pledge: p.Pledge, Withdrawn: p.Withdrawn}
			for _, rc := range issued {
				if slices.ContainsFunc(rc.For, func(f protocol.Link) bool { return s.keptCID(f.Cid) == p.CID }) {
					st.Paid = satAddU(st.Paid, rc.Amount)
					st.Receipts++
				}
			}
			if !st.Withdrawn && st.Paid < p.Pledge.Cap {
				st.Left = p.Pledge.Cap - st.Paid
			}
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(x, y PledgeState) int {
		return cmp.Or(strings.Compare(string(x.Author), string(y.Author)), cmp.Compare(x.Seq, y.Seq))
	})
	return out
}

func satAddU(a, b uint64) uint64 {
	if a > ^uint64(0)-b {
		return ^uint64(0)
	}
	return a + b
}
