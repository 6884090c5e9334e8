package node

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/vault"
)

// Redials of remembered peers (§5.5): the first 1 s after the connection
// is lost (or at start), each failure doubling the wait up to 10 min,
// every wait jittered by ±25%; at most maxRedials at once; peers the user
// asked for (connect, bootstrap) while the connections held and dialling
// stay under the connection manager's high water, others under its low
// water, so that redials never undo its trimming.
const (
	minRedial, maxRedial = time.Second, 10 * time.Minute
	maxRedials           = 8
	redialTick           = time.Second
	// findAfter: a peer that failed this many times in a row is looked up
	// on the DHT too, in case it came back on a new address.
	findAfter = 1
)

// jitter returns d scaled by a factor in [0.75, 1.25) drawn from a hash
// of this node, the peer and d: spread over peers and attempts, yet the
// same for the same identities, so a simulation replays exactly.
func (n *Node) jitter(p peer.ID, d time.Duration) time.Duration {
	h := fnv.New64a()
	h.Write([]byte(n.host.ID()))
	h.Write([]byte(p))
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(d)))
	f := float64(h.Sum64()>>11) / (1 << 53)
	return time.Duration(float64(d) * (0.75 + f/2))
}

// startRedial redials remembered peers that are not connected, and
// writes changed records to the vault, every redialTick. Bootstrap peers
// are remembered from the start (written to the vault once connected),
// so that one that cannot be reached shows its error. A node with no
// listen addresses (offline), or over a host it did not build (WithHost:
// the host's owner, a test or a simulation, owns its connections),
// redials nothing, unless WithRedial asks.
func (n *Node) startRedial() {
	if !n.redialBorrowed && (len(n.cfg.Listen) == 0 || !n.ownHost) {
		return
	}
	m := n.memory()
	m.mu.Lock()
	for _, b := range n.cfg.Bootstrap {
		if _, ok := m.peers[b.ID]; !ok && b.ID != n.host.ID() {
			m.peers[b.ID] = &remembered{Peer: vault.Peer{ID: b.ID, Addrs: b.Addrs, Source: MetBootstrap}}
		}
		m.intents[b.ID] = MetBootstrap
	}
	m.evict()
	m.mu.Unlock()
	n.spawn(func(ctx context.Context) {
		tick := time.NewTicker(redialTick)
		defer tick.Stop()
		defer n.flush()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				n.flush()
				n.redialDue(ctx)
			}
		}
	})
}

// redialDue starts the redials that are due, as room allows.
func (n *Node) redialDue(ctx context.Context) {
	for _, p := range n.dueRedials() {
		if !n.spawn(func(ctx context.Context) { n.redial(ctx, p) }) {
			n.redialEnded(p.ID, nil)
		}
	}
}

// dueRedials picks the remembered peers to dial now, oldest due first,
// and marks them dialling.
func (n *Node) dueRedials() []peer.AddrInfo {
	now, net := time.Now(), n.host.Network()
	m := n.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	var due []*remembered
	for _, r := range m.peers {
		c := net.Connectedness(r.ID)
		if r.dialing || c == network.Connected || c == network.Limited || now.Before(r.next) || len(r.Addrs) == 0 {
			continue
		}
		due = append(due, r)
	}
	slices.SortFunc(due, func(a, b *remembered) int { return cmp.Or(a.next.Compare(b.next), cmp.Compare(a.ID, b.ID)) })
	held := len(net.Peers())
	var out []peer.AddrInfo
	for _, r := range due {
		water := n.cfg.ConnLow // the connection manager trims down to it
		if explicit(r.Source) {
			water = n.cfg.ConnHigh
		}
		if m.inflight >= maxRedials || held+m.inflight >= water {
			continue
		}
		r.dialing = true
		m.inflight++
		out = append(out, peer.AddrInfo{ID: r.ID, Addrs: slices.Clone(r.Addrs)})
	}
	return out
}

// redial dials p on its remembered addresses and, after findAfter
// failures in a row, on those the DHT finds for it (filtered as §5.4).
func (n *Node) redial(ctx context.Context, p peer.AddrInfo) {
	dctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	if sw, ok := n.host.Network().(*swarm.Swarm); ok {
		sw.Backoff().Clear(p.ID) // this schedule, not the swarm's 5 s and more, paces redials
	}
	err := n.host.Connect(dctx, p)
	if err != nil && n.failures(p.ID) >= findAfter && n.dht.Size() > 0 {
		if found, ferr := n.dht.Routing().FindPeer(dctx, p.ID); ferr == nil {
			found.Addrs = dht.AddrFilter(n.cfg.AllowPrivateProviders)(found.Addrs)
			if len(found.Addrs) > 0 {
				err = n.host.Connect(dctx, found)
			}
		}
	}
	n.redialEnded(p.ID, err)
}

// failures returns how many redials of p failed in a row.
func (n *Node) failures(p peer.ID) int {
	m := n.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.peers[p]
	if !ok || r.wait < minRedial {
		return 0
	}
	k := 0
	for w := r.wait; w > minRedial; w /= 2 {
		k++
	}
	return k
}

// redialEnded records a redial's outcome: a failure doubles the wait.
func (n *Node) redialEnded(p peer.ID, err error) {
	m := n.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inflight--
	r, ok := m.peers[p]
	if !ok {
		return
	}
	r.dialing = false
	if err == nil {
		return // remember, on the connection, reset the backoff
	}
	r.lastErr, r.errAt = shortErr(err), time.Now()
	r.wait = min(max(2*r.wait, minRedial), maxRedial)
	r.next = time.Now().Add(n.jitter(p, r.wait))
	n.events.emit(RedialFailed{Peer: p, Source: r.Source, Err: r.lastErr, Wait: r.wait})
}

// shortErr is the cause of a dial error, without the list of addresses
// libp2p wraps it in: the first transport error, or the error cut to 200
// bytes.
func shortErr(err error) string {
	var de *swarm.DialError
	if errors.As(err, &de) && len(de.DialErrors) > 0 {
		te := de.DialErrors[0]
		return te.Address.String() + ": " + te.Cause.Error()
	}
	s := err.Error()
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// RedialFailed: a redial of a remembered peer failed; the next one waits
// Wait.
type RedialFailed struct {
	Peer   peer.ID
	Source string // how it was met (MetBootstrap, ...)
	Err    string
	Wait   time.Duration
}

func (RedialFailed) event() {}
