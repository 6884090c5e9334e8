package grid

import (
	"bytes"
	"cmp"
	"math"
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Current is a provider's standing offer.
type Current struct {
	Provider peer.ID
	CID      cid.Cid // the smallest CID of the offer entry's blocks
	Seq      uint64
	Offer    Offer
}

// Offer returns p's standing offer at now (unix ms): its offer entry with
// the highest seq (of two at one seq, the larger payload digest), when
// that one is neither withdrawn nor expired. An earlier offer never
// stands in for a later one that ended.
func (v *View) Offer(p peer.ID, now int64) (Current, bool) {
	e := v.latestOffer(p, math.MaxUint64)
	if e == nil {
		return Current{}, false
	}
	o := e.Rec().Body.(*Offer)
	if !o.Live(now) {
		return Current{}, false
	}
	return Current{Provider: p, CID: e.CID, Seq: e.ID().Seq, Offer: *o}, true
}

// Offers lists the standing offers at now, by provider bytes.
func (v *View) Offers(now int64) []Current {
	var out []Current
	for p := range v.offers {
		if c, ok := v.Offer(p, now); ok {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Current) int { return byBytes(a.Provider, b.Provider) })
	return out
}

// latestOffer returns p's offer entry with the highest (seq, digest)
// below seq below, or nil.
func (v *View) latestOffer(p peer.ID, below uint64) *entry {
	var best *entry
	for _, e := range v.offers[p] {
		id := e.ID()
		if id.Seq >= below {
			continue
		}
		if best == nil {
			best = e
			continue
		}
		if b := best.ID(); cmp.Or(cmp.Compare(id.Seq, b.Seq), bytes.Compare(id.Digest[:], b.Digest[:])) > 0 {
			best = e
		}
	}
	return best
}
