package node

import (
	"fmt"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// BenchmarkGovernanceVotes feeds a district of three stewards n
// proposals and two no votes on each, one entry at a time, read once at
// the end (a burst: sync, a bundle) or after every entry (the worst
// case: a read between any two votes), per op: every entry.
func BenchmarkGovernanceVotes(b *testing.B) {
	for _, n := range []int{500, 2000} {
		ss := []*chain{newChain(b), newChain(b), newChain(b)}
		blocks := []protocol.Block{ss[0].next(b, settle.KindDistrict, genesis([]peer.ID{ss[0].id, ss[1].id, ss[2].id}))}
		var props []protocol.Block
		for i := range n {
			p := ss[0].next(b, govern.KindProposal, &govern.Proposal{Change: govern.Limit, Unit: unit, Amount: uint64(i), Note: fmt.Sprint(i)})
			props = append(props, p)
			blocks = append(blocks, p)
		}
		for _, s := range ss[1:] {
			for _, p := range props {
				blocks = append(blocks, s.next(b, govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(p.CID), Yes: false}))
			}
		}
		for _, each := range []bool{false, true} {
			b.Run(fmt.Sprintf("proposals=%d/read-each=%v", n, each), func(b *testing.B) {
				for b.Loop() {
					w := newViews(mip.Builtins(), nil)
					for _, blk := range blocks {
						w.add(blk)
						if each {
							w.work(func(*views) {})
						}
					}
					w.work(func(*views) {})
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(blocks)), "ns/entry")
			})
		}
	}
}
