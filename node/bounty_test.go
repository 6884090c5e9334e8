package node

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/protocol"
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
