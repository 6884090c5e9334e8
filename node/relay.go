package node

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/host/eventbus"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// Relay reservations. While the host believes itself private, the node
// holds a circuit relay v2 reservation on each configured static relay,
// renews it a minute before it expires, retries a failed relay every
// relayRetry, and announces <relay addr>/p2p/<relay>/p2p-circuit through
// the host's EvtAutoRelayAddrsUpdated, the event the host's address
// manager takes relay addresses from. It plays libp2p autorelay's part
// for static relays, with one difference: a relay on a private or
// loopback network (a community network, a test) is announced too, with
// the addresses the relay reports in the reservation.
const (
	relayRetry   = 30 * time.Second
	relayRenew   = time.Minute
	relayTimeout = 15 * time.Second
)

// relays holds the current reservations; the keeper loop owns updates.
// The zero value holds none.
type relays struct {
	mu   sync.Mutex
	held map[peer.ID][]ma.Multiaddr // relay -> circuit addrs
}

// ids returns the relays holding a reservation for this node, sorted.
func (r *relays) ids() []peer.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]peer.ID, 0, len(r.held))
	for p := range r.held {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func (r *relays) addrs() []ma.Multiaddr {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []ma.Multiaddr
	for _, a := range r.held {
		out = append(out, a...)
	}
	slices.SortFunc(out, ma.Multiaddr.Compare)
	return out
}

func (r *relays) has(p peer.ID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.held[p] != nil
}

func (r *relays) set(p peer.ID, addrs []ma.Multiaddr) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if addrs == nil {
		delete(r.held, p)
		return
	}
	if r.held == nil {
		r.held = map[peer.ID][]ma.Multiaddr{}
	}
	r.held[p] = addrs
}

// startRelays starts the reservation keeper if static relays are set.
func (n *Node) startRelays() error {
	if len(n.cfg.Relays) == 0 {
		return nil
	}
	sub, err := n.host.EventBus().Subscribe([]any{
		new(event.EvtLocalReachabilityChanged), new(event.EvtPeerConnectednessChanged),
	})
	if err != nil {
		return err
	}
	emit, err := n.host.EventBus().Emitter(new(event.EvtAutoRelayAddrsUpdated), eventbus.Stateful)
	if err != nil {
		sub.Close()
		return err
	}
	n.spawn(func(ctx context.Context) {
		defer emit.Close()
		defer sub.Close()
		n.keepRelays(ctx, sub.Out(), emit)
	})
	return nil
}

// reserved is the outcome of one reservation attempt.
type reserved struct {
	relay peer.ID
	addrs []ma.Multiaddr // circuit addrs; nil on failure
	until time.Time      // expiry of the reservation
	err   error          // why it failed
}

// RelayFailed: a reservation on a configured relay failed; it is tried
// again after relayRetry.
type RelayFailed struct {
	Relay peer.ID
	Err   string
}

func (RelayFailed) event() {}

// keeper is the state of the keeper loop, owned by it.
type keeper struct {
	private bool
	due     map[peer.ID]time.Time // next attempt per relay
	flying  map[peer.ID]bool      // attempt in flight
	results chan reserved
	last    []ma.Multiaddr // last announced
}

// keepRelays is the keeper loop: while private it reserves each relay
// that is due (one attempt in flight per relay), drops a relay whose
// connection ends, and announces every change of circuit addresses.
func (n *Node) keepRelays(ctx context.Context, events <-chan any, emit event.Emitter) {
	k := keeper{due: map[peer.ID]time.Time{}, flying: map[peer.ID]bool{}, results: make(chan reserved, len(n.cfg.Relays))}
	wake := time.NewTimer(time.Hour)
	defer wake.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-events:
			n.relayEvent(&k, e)
		case r := <-k.results:
			k.flying[r.relay] = false
			n.relays.set(r.relay, r.addrs)
			k.due[r.relay] = time.Now().Add(relayRetry)
			if r.err != nil {
				n.events.emit(RelayFailed{Relay: r.relay, Err: shortErr(r.err)})
			}
			if r.addrs != nil {
				k.due[r.relay] = r.until.Add(-relayRenew)
			}
		case <-wake.C:
		}
		if !k.private {
			for _, ai := range n.cfg.Relays {
				n.relays.set(ai.ID, nil)
			}
		}
		next := n.reserveDue(&k)
		if cur := n.relays.addrs(); !slices.EqualFunc(cur, k.last, ma.Multiaddr.Equal) {
			_ = emit.Emit(event.EvtAutoRelayAddrsUpdated{RelayAddrs: cur})
			k.last = cur
			n.events.emit(ReachChanged{Reach: n.Reach()})
		}
		wake.Reset(time.Until(next))
	}
}

// relayEvent follows reachability (entering private makes every relay
// due) and drops the reservation of a relay that disconnected.
func (n *Node) relayEvent(k *keeper, e any) {
	switch e := e.(type) {
	case event.EvtLocalReachabilityChanged:
		k.private = e.Reachability == network.ReachabilityPrivate
		clear(k.due)
	case event.EvtPeerConnectednessChanged:
		if e.Connectedness == network.NotConnected && n.relays.has(e.Peer) {
			n.relays.set(e.Peer, nil)
			delete(k.due, e.Peer)
		}
	}
}

// reserveDue starts an attempt for each due relay while private and
// returns when the next one falls due.
func (n *Node) reserveDue(k *keeper) time.Time {
	next := time.Now().Add(time.Hour)
	if !k.private {
		return next
	}
	for _, ai := range n.cfg.Relays {
		if k.flying[ai.ID] {
			continue
		}
		if t := k.due[ai.ID]; time.Now().Before(t) {
			if t.Before(next) {
				next = t
			}
			continue
		}
		k.flying[ai.ID] = n.spawn(func(ctx context.Context) { k.results <- n.reserve(ctx, ai) })
	}
	return next
}

// reserve asks relay ai for a slot. The circuit addresses are built on
// the addresses the relay vouches for (public ones only), else on the
// configured ones.
func (n *Node) reserve(ctx context.Context, ai peer.AddrInfo) reserved {
	ctx, cancel := context.WithTimeout(ctx, relayTimeout)
	defer cancel()
	rsvp, err := client.Reserve(ctx, n.host, ai)
	if err != nil {
		return reserved{relay: ai.ID, err: err}
	}
	base := rsvp.Addrs
	if len(base) == 0 {
		base, _ = peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: ai.ID, Addrs: ai.Addrs})
	}
	circuit := ma.StringCast("/p2p-circuit")
	out := make([]ma.Multiaddr, 0, len(base))
	for _, a := range base {
		if !isCircuit(a) && (len(rsvp.Addrs) > 0 || !manet.IsIPUnspecified(a)) {
			out = append(out, a.Encapsulate(circuit))
		}
	}
	return reserved{relay: ai.ID, addrs: out, until: rsvp.Expiration}
}
