package arena

import (
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

var kinds = func() protocol.Kinds {
	k := protocol.DefaultKinds()
	settle.Register(k)
	Register(k)
	return k
}()

// author signs entries for tests.
type author struct{ entrytest.Author }

func newAuthor(tb testing.TB, seed byte) *author {
	return &author{*entrytest.NewAuthor(tb, seed)}
}

func (a *author) problem(tb testing.TB, district string, bounty uint64, deadline int64) *settle.Record {
	p := &Problem{Domain: "MIP-AGR@1", Title: "soil carbon of plot 7", Criteria: "a verified proof", Deadline: deadline}
	if bounty > 0 {
		p.Bounty, p.Unit = bounty, "credit"
	}
	return a.Next(tb, kinds, KindProblem, district, 1000, p)
}

func (a *author) solve(tb testing.TB, problem *settle.Record, summary string) *settle.Record {
	return a.Next(tb, kinds, KindSolution, problem.Entry.District, 1100, &Solution{Problem: protocol.LinkTo(problem.CID), Summary: summary})
}

func (a *author) accept(tb testing.TB, problem *settle.Record, time int64, shares ...Share) *settle.Record {
	return a.Next(tb, kinds, KindAccept, problem.Entry.District, time, &Accept{Problem: protocol.LinkTo(problem.CID), Shares: shares})
}

func (a *author) pay(tb testing.TB, p Payment) *settle.Record {
	return a.Next(tb, kinds, protocol.KindReceipt, p.District, 5000, p.Receipt())
}

func share(sol *settle.Record, n uint64) Share {
	return Share{Solution: protocol.LinkTo(sol.CID), Share: n}
}

func viewOf(recs ...*settle.Record) *View {
	v := NewView()
	for _, r := range recs {
		v.Add(r)
	}
	return v
}

// stewards makes steward sets by district.
func stewards(m map[string][]peer.ID) func(string) map[peer.ID]bool {
	return func(d string) map[peer.ID]bool {
		out := map[peer.ID]bool{}
		for _, p := range m[d] {
			out[p] = true
		}
		return out
	}
}
