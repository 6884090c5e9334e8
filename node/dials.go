package node

import (
	"context"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Limits on dialling peers that DHT provider records name: their
// addresses come from anyone who can answer a DHT query.
const (
	// maxRoundDials caps provider dials per sync interval (a district
	// round runs once per interval), over all districts.
	maxRoundDials = 8
	// A provider whose dial failed is not dialled again for minBackoff,
	// doubling on each further failure up to maxBackoff.
	minBackoff, maxBackoff = time.Minute, time.Hour
	// maxBackoffs bounds the failures remembered; expired ones go first.
	maxBackoffs = 1024
)

// dialBook is the state of provider dials: the budget of the current
// interval, the dials in flight and the providers that failed lately.
type dialBook struct {
	mu       sync.Mutex
	start    time.Time // of the current interval
	used     int       // dials begun in it
	inflight int
	failed   map[peer.ID]backoff
}

type backoff struct {
	until time.Time
	wait  time.Duration
}

// mayDial reports whether provider p may be dialled now, and if so counts
// the dial as begun: p is not this node, not connected, has an address,
// did not fail lately, and the interval's budget and the connection
// manager's room (high water less the peers held and the dials in flight)
// allow one more.
func (n *Node) mayDial(p peer.AddrInfo) bool {
	if p.ID == n.host.ID() || n.host.Network().Connectedness(p.ID) == network.Connected || len(p.Addrs) == 0 {
		return false
	}
	b, now := &n.peers.dials, time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.start) >= n.cfg.SyncInterval {
		b.start, b.used = now, 0
	}
	room := n.cfg.ConnHigh - len(n.host.Network().Peers()) - b.inflight
	if f, ok := b.failed[p.ID]; ok && now.Before(f.until) || b.used >= maxRoundDials || room <= 0 {
		return false
	}
	b.used++
	b.inflight++
	return true
}

// dialProvider dials p, which mayDial admitted, and records the outcome.
func (n *Node) dialProvider(ctx context.Context, p peer.AddrInfo) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	n.intend(p.ID, MetDHT)
	err := n.host.Connect(ctx, p)
	b := &n.peers.dials
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inflight--
	if err == nil {
		delete(b.failed, p.ID)
		return
	}
	if b.failed == nil {
		b.failed = map[peer.ID]backoff{}
	}
	f := b.failed[p.ID]
	f.wait = min(max(2*f.wait, minBackoff), maxBackoff)
	f.until = time.Now().Add(f.wait)
	if len(b.failed) >= maxBackoffs {
		b.prune(time.Now())
	}
	b.failed[p.ID] = f
}

// prune forgets expired failures, or all when none has expired.
func (b *dialBook) prune(now time.Time) {
	for id, f := range b.failed {
		if now.After(f.until) {
			delete(b.failed, id)
		}
	}
	if len(b.failed) >= maxBackoffs {
		clear(b.failed)
	}
}
