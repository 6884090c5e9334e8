package node

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// bountyPaid counts the poster's receipts per payee that link problem.
func bountyPaid(v *Views, poster peer.ID, problem cid.Cid) map[peer.ID]uint64 {
	out := map[peer.ID]uint64{}
	for _, l := range v.Lines() {
		for _, f := range l.For {
			if l.Payer == poster && f.Equals(problem) {
				out[l.Payee] += l.Amount
			}
		}
	}
	return out
}

// TestBountyPaysOnce: a poster's node pays the solvers its accept names
// their shares of the bounty, once, across a restart after each receipt
// it writes and with the entries delivered by several goroutines at
// once; a solution nobody accepted, and an accept by someone other than
// the poster before the deadline, pay nothing; the total never passes the
// bounty.
func TestBountyPaysOnce(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	path := filepath.Join(t.TempDir(), "poster.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := mockNode(t, mn, v)
	id := n.ID()
	founder := newChain(t) // a district whose credit limit (1000) covers the bounty
	if _, err := n.Ingest(founder.next(t, settle.KindDistrict, genesis([]peer.ID{founder.id}))); err != nil {
		t.Fatal(err)
	}
	problem := publish(t, ctx, n, arena.KindProblem, &arena.Problem{Domain: "MIP-AGR", Title: "pump repair", Bounty: 100, Unit: unit})
	a, b, c, stranger := newChain(t), newChain(t), newChain(t), newChain(t)
	var solutions []protocol.Block
	for _, s := range []*chain{a, b, c} {
		solutions = append(solutions, s.next(t, arena.KindSolution, &arena.Solution{Problem: protocol.LinkTo(problem.CID), Summary: "fixed"}))
	}
	deliver := append([]protocol.Block{}, solutions...)
	// A stranger's accept of c's solution, before the deadline: counts for nothing.
	deliver = append(deliver, stranger.next(t, arena.KindAccept, &arena.Accept{Problem: protocol.LinkTo(problem.CID),
		Shares: []arena.Share{{Solution: protocol.LinkTo(solutions[2].CID), Share: 100}}}))
	publish(t, ctx, n, arena.KindAccept, &arena.Accept{Problem: protocol.LinkTo(problem.CID),
		Shares: []arena.Share{{Solution: protocol.LinkTo(solutions[0].CID), Share: 60}, {Solution: protocol.LinkTo(solutions[1].CID), Share: 70}}})
	n, restarts := payAcrossRestarts(t, ctx, mn, n, v, path, deliver, true, func(v *Views) bool { return len(bountyPaid(v, id, problem.CID)) == 2 })
	paid := bountyPaid(n.Views(), id, problem.CID)
	// 60 to a, then the 40 left of the bounty to b (its share of 70 cut).
	if paid[a.id] != 60 || paid[b.id] != 40 || paid[c.id] != 0 || len(paid) != 2 {
		t.Fatalf("paid %v after %d restarts: want a 60, b 40 (the bounty's rest), c nothing", paid, restarts)
	}
}

// TestBountyWaitsForCredit: a poster whose covered position plus credit
// limit does not reach a bounty writes no receipt for it and says the
// bounty waits; a covered payment to the poster wakes the settler, which
// then pays the bounty, covered.
func TestBountyWaitsForCredit(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	n := mockNode(t, mn, newVault(t))
	founder, solver, payer := newChain(t), newChain(t), newChain(t)
	if _, err := n.Ingest(founder.next(t, settle.KindDistrict, genesis([]peer.ID{founder.id}))); err != nil { // limit 1000
		t.Fatal(err)
	}
	problem := publish(t, ctx, n, arena.KindProblem, &arena.Problem{Domain: "MIP-AGR", Title: "a seed bank", Bounty: 1500, Unit: unit})
	solution := solver.next(t, arena.KindSolution, &arena.Solution{Problem: protocol.LinkTo(problem.CID), Summary: "built"})
	if _, err := n.Ingest(solution); err != nil {
		t.Fatal(err)
	}
	ev, stop := n.Subscribe(4096)
	defer stop()
	publish(t, ctx, n, arena.KindAccept, &arena.Accept{Problem: protocol.LinkTo(problem.CID),
		Shares: []arena.Share{{Solution: protocol.LinkTo(solution.CID), Share: 1500}}})
	settled := func(what string, cond func(SettleStats) bool) { t.Helper(); waitSettled(t, ctx, n, ev, what, cond) }
	settled("the bounty beyond the poster's credit reported waiting", func(s SettleStats) bool { return s.Waiting == 1 })
	if paid := bountyPaid(n.Views(), n.ID(), problem.CID); len(paid) != 0 {
		t.Fatalf("paid %v beyond the poster's credit (limit 1000, bounty 1500)", paid)
	}
	// 600 of covered income: 600 + 1000 reach the bounty.
	if _, err := n.Ingest(payer.next(t, protocol.KindReceipt, &settle.Receipt{Payee: []byte(n.ID()), Amount: 600, Unit: unit})); err != nil {
		t.Fatal(err)
	}
	v := until(t, ctx, n, "the bounty paid", func(v *Views) bool { return len(bountyPaid(v, n.ID(), problem.CID)) == 1 })
	for _, l := range v.Lines() {
		if l.Payer == n.ID() && !l.Covered {
			t.Fatalf("the bounty receipt is not covered: %+v", l)
		}
	}
	settled("no bounty waiting once paid", func(s SettleStats) bool { return s.Waiting == 0 && s.Receipts == 1 })
}

// TestBountyIndirectCredit: the poster's income becomes covered by a
// receipt that pays someone else (its payer's payer): the position rises
// with no receipt paying the poster, and the waiting bounty is paid.
func TestBountyIndirectCredit(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	mn := newMocknet(t)
	n := mockNode(t, mn, newVault(t))
	founder, solver, x, y, z := newChain(t), newChain(t), newChain(t), newChain(t), newChain(t)
	if _, err := n.Ingest(founder.next(t, settle.KindDistrict, genesis([]peer.ID{founder.id}))); err != nil { // limit 1000
		t.Fatal(err)
	}
	problem := publish(t, ctx, n, arena.KindProblem, &arena.Problem{Domain: "MIP-AGR", Title: "a seed bank", Bounty: 1500, Unit: unit})
	solution := solver.next(t, arena.KindSolution, &arena.Solution{Problem: protocol.LinkTo(problem.CID), Summary: "built"})
	if _, err := n.Ingest(solution); err != nil {
		t.Fatal(err)
	}
	ev, stop := n.Subscribe(4096)
	defer stop()
	settled := func(what string, cond func(SettleStats) bool) { t.Helper(); waitSettled(t, ctx, n, ev, what, cond) }
	publish(t, ctx, n, arena.KindAccept, &arena.Accept{Problem: protocol.LinkTo(problem.CID),
		Shares: []arena.Share{{Solution: protocol.LinkTo(solution.CID), Share: 1500}}})
	settled("the bounty waiting", func(s SettleStats) bool { return s.Waiting == 1 })
	// y spends its whole limit, then pays the poster 600: uncovered.
	for _, b := range []protocol.Block{
		y.next(t, protocol.KindReceipt, &settle.Receipt{Payee: []byte(z.id), Amount: 1000, Unit: unit}),
		y.next(t, protocol.KindReceipt, &settle.Receipt{Payee: []byte(n.ID()), Amount: 600, Unit: unit}),
	} {
		if _, err := n.Ingest(b); err != nil {
			t.Fatal(err)
		}
	}
	if p := n.Position(n.ID(), unit); p != 0 {
		t.Fatalf("position %d before x pays y", p)
	}
	// x pays y 600 within its limit: y's receipt to the poster is covered.
	if _, err := n.Ingest(x.next(t, protocol.KindReceipt, &settle.Receipt{Payee: []byte(y.id), Amount: 600, Unit: unit})); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, n, "the bounty paid", func(v *Views) bool { return len(bountyPaid(v, n.ID(), problem.CID)) == 1 })
	settled("no bounty waiting", func(s SettleStats) bool { return s.Waiting == 0 && s.Receipts == 1 })
}

// waitSettled waits, on n's events (a settler round raises SettleDone),
// until cond holds of n's settler stats.
func waitSettled(t testing.TB, ctx context.Context, n *Node, ev <-chan Event, what string, cond func(SettleStats) bool) {
	t.Helper()
	for !cond(n.Settled()) {
		select {
		case <-ev:
		case <-ctx.Done():
			t.Fatalf("%s: settler stats %+v", what, n.Settled())
		}
	}
}
