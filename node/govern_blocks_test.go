package node

import (
	crand "crypto/rand"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/protocol/prototest"
	"github.com/mesocosm/mycel/settle"
)

// resign signs b's entry again: another block of the same entry.
func resign(t testing.TB, c *chain, b protocol.Block) protocol.Block {
	t.Helper()
	o, err := prototest.Resign(c.key, b, crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// limitAfter feeds blocks to a node's views one at a time and, apart,
// views the set of the same blocks from scratch (what a restart and
// ReadViews do), and returns the credit limit each puts in force.
func limitAfter(t *testing.T, pins settle.Pins, blocks []protocol.Block) (live, restart int64) {
	inc := newViews(mip.Builtins(), pins)
	s, k := settle.NewSet(), settleKinds()
	for _, b := range blocks {
		inc.add(b)
		s.Insert(settle.Decode(k, b))
	}
	full := newViews(mip.Builtins(), pins)
	full.mu.Lock()
	full.reset(s)
	full.mu.Unlock()
	inc.work(func(w *views) { live = w.ledger.CreditLimit(district, unit) })
	full.work(func(w *views) { restart = w.ledger.CreditLimit(district, unit) })
	return live, restart
}

// TestGovernanceOtherBlocks: a vote that links another block of its
// proposal, and a pin that names the genesis block the set does not
// keep, rule the same after a restart as live (the governance view was
// given only the kept blocks at load: the limit by vote was lost).
func TestGovernanceOtherBlocks(t *testing.T) {
	t.Run("vote on another block", func(t *testing.T) {
		s1 := newChain(t)
		g := s1.next(t, settle.KindDistrict, genesis([]peer.ID{s1.id})) // limit 1000
		p := s1.next(t, govern.KindProposal, &govern.Proposal{Change: govern.Limit, Unit: unit, Amount: 5000})
		p2 := resign(t, s1, p)
		v := s1.next(t, govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p2.CID), Yes: true})
		if live, restart := limitAfter(t, nil, []protocol.Block{g, p, p2, v}); live != 5000 || restart != 5000 {
			t.Fatalf("limit live %d, after restart %d; want 5000 both", live, restart)
		}
	})
	t.Run("pin on another block", func(t *testing.T) {
		s1 := newChain(t)
		g := s1.next(t, settle.KindDistrict, genesis([]peer.ID{s1.id}))
		g2 := resign(t, s1, g)
		p := s1.next(t, govern.KindProposal, &govern.Proposal{Change: govern.Limit, Unit: unit, Amount: 5000})
		v := s1.next(t, govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p.CID), Yes: true})
		if live, restart := limitAfter(t, settle.Pins{district: g2.CID}, []protocol.Block{g, g2, p, v}); live != 5000 || restart != 5000 {
			t.Fatalf("limit live %d, after restart %d; want 5000 both", live, restart)
		}
	})
}
