package node

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/vault"
)

// How a remembered peer was first met (RememberedPeer.Source).
const (
	MetConnect   = "connect"   // Node.Connect (mycel connect)
	MetBootstrap = "bootstrap" // Config.Bootstrap
	MetMDNS      = "mdns"      // found on the LAN
	MetDHT       = "dht"       // a district provider record
	MetInbound   = "inbound"   // it dialled this node
	MetDial      = "dial"      // another dial of this node (DHT queries, relays)
)

// explicit reports whether peers met by source were asked for by the
// user (connect, bootstrap): they are evicted last, and redialled up to
// the connection manager's high water rather than its low water.
func explicit(source string) bool { return source == MetConnect || source == MetBootstrap }

// maxIntents bounds the dials whose source is noted before they connect.
const maxIntents = 1024

// peerMemory is a store that remembers peers across restarts;
// *vault.Bolt is one. Without it the node remembers peers until it stops.
type peerMemory interface {
	RememberPeers(ps ...vault.Peer) error
	ForgetPeer(id peer.ID) (bool, error)
	RememberedPeers() ([]vault.Peer, error)
}

// RememberedPeer is a peer this node was connected to and redials when
// the connection is lost.
type RememberedPeer struct {
	vault.Peer
	Connected bool
	LastErr   string    // the last redial's error; "" after a connection
	ErrAt     time.Time // when LastErr happened
	NextDial  time.Time // not redialled before; zero while connected
}

// PeerRemembered: a connected peer was remembered (or its record
// renewed), with how it was first met.
type PeerRemembered struct {
	Peer   peer.ID
	Source string
}

func (PeerRemembered) event() {}

// remembered is one peer in memory with its redial state.
type remembered struct {
	vault.Peer
	wait    time.Duration // the current backoff
	next    time.Time
	lastErr string
	errAt   time.Time
	dialing bool
	dirty   bool // not yet written to the vault
}

// memory holds the remembered peers (at most vault.MaxPeers) and the
// sources of dials in flight.
type memory struct {
	mu       sync.Mutex
	peers    map[peer.ID]*remembered
	intents  map[peer.ID]string
	forgot   map[peer.ID]time.Time // when Forget ran: older connections do not count
	inflight int
	loaded   bool
}

func (n *Node) memory() *memory {
	m := &n.peers.memory
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded {
		m.loaded, m.peers, m.intents, m.forgot = true, map[peer.ID]*remembered{}, map[peer.ID]string{}, map[peer.ID]time.Time{}
		if pm, ok := n.store.(peerMemory); ok {
			ps, _ := pm.RememberedPeers()
			for _, p := range ps {
				m.peers[p.ID] = &remembered{Peer: p}
			}
		}
	}
	return m
}

// intend notes how a dial to p came about, for when it connects.
func (n *Node) intend(p peer.ID, source string) {
	m := n.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.intents) >= maxIntents {
		clear(m.intents)
	}
	m.intents[p] = source
}

// metBy says how p was met: its remembered source, or that of a dial in
// flight; "" when neither is known (yet).
func (n *Node) metBy(p peer.ID) string {
	m := n.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.peers[p]; ok && r.Source != "" {
		return r.Source
	}
	return m.intents[p]
}

// remember records a connected Mycel peer (identify listed the sync
// protocol) with the addresses it may be dialled on again (dialBack).
// Its backoff resets.
func (n *Node) remember(p peer.ID) {
	conns := n.host.Network().ConnsToPeer(p)
	if p == n.host.ID() || len(conns) == 0 {
		return
	}
	source := MetInbound
	for _, c := range conns {
		if c.Stat().Direction == network.DirOutbound {
			source = MetDial
		}
	}
	addrs := dialBack(conns, n.host.Peerstore().Addrs(p), n.cfg.AllowPrivateProviders)
	m := n.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	// Judged under the lock that Forget takes: a Forget that ran while
	// the addresses were read still counts.
	if forgot, ok := m.forgot[p]; ok && !slices.ContainsFunc(conns, func(c network.Conn) bool { return c.Stat().Opened.After(forgot) }) {
		return // a connection from before Forget
	}
	delete(m.forgot, p)
	if s, ok := m.intents[p]; ok {
		source = s
		delete(m.intents, p)
	}
	r, ok := m.peers[p]
	if !ok {
		r = &remembered{Peer: vault.Peer{ID: p, Source: source}}
		m.peers[p] = r
	}
	r.Addrs = mergeAddrs(addrs, r.Addrs)
	r.Seen, r.wait, r.next, r.lastErr, r.dirty = time.Now(), 0, time.Time{}, "", true
	m.evict()
	n.events.emit(PeerRemembered{Peer: p, Source: r.Source})
}

// dialBack returns the addresses a connected peer may be dialled on
// again: the remote addresses of outbound connections (this node was
// connected on them), and those of the peer's own listen addresses
// (identify) that pass the DHT address filter (§5.4: public ones, or
// private ones when private providers are allowed) or lie on an IP
// address one of its connections came from, so that an inbound peer on a
// LAN or loopback can be dialled back without sending this node to any
// other host.
func dialBack(conns []network.Conn, listen []ma.Multiaddr, allowPrivate bool) []ma.Multiaddr {
	var out []ma.Multiaddr
	ips := map[string]bool{}
	for _, c := range conns {
		if c.Stat().Direction == network.DirOutbound {
			out = append(out, c.RemoteMultiaddr())
		}
		if ip, err := manet.ToIP(c.RemoteMultiaddr()); err == nil {
			ips[ip.String()] = true
		}
	}
	for _, a := range listen {
		ip, err := manet.ToIP(a)
		if err == nil && ips[ip.String()] && !manet.IsIPUnspecified(a) {
			out = append(out, a)
		}
	}
	return append(out, dht.AddrFilter(allowPrivate)(listen)...)
}

// lost notes that p disconnected: it is redialled after minRedial.
func (n *Node) lost(p peer.ID) {
	m := n.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.peers[p]; ok {
		r.Seen, r.dirty = time.Now(), true
		r.wait, r.next = minRedial, time.Now().Add(n.jitter(p, minRedial))
	}
}

// mergeAddrs returns the distinct addresses of first then second, at most
// maxRememberedAddrs.
func mergeAddrs(first, second []ma.Multiaddr) []ma.Multiaddr {
	var out []ma.Multiaddr
	for _, a := range slices.Concat(first, second) {
		if len(out) < maxRememberedAddrs && !slices.ContainsFunc(out, a.Equal) {
			out = append(out, a)
		}
	}
	return out
}

// maxRememberedAddrs bounds the addresses kept per remembered peer.
const maxRememberedAddrs = 8

// evict forgets the least recently seen peers past vault.MaxPeers, those
// the user did not ask for first.
func (m *memory) evict() {
	for len(m.peers) > vault.MaxPeers {
		var oldest *remembered
		for _, r := range m.peers {
			if oldest == nil || evictsBefore(r, oldest) {
				oldest = r
			}
		}
		delete(m.peers, oldest.ID)
	}
}

func evictsBefore(a, b *remembered) bool {
	if ea, eb := explicit(a.Source), explicit(b.Source); ea != eb {
		return eb
	}
	if !a.Seen.Equal(b.Seen) {
		return a.Seen.Before(b.Seen)
	}
	return a.ID < b.ID
}

// flush writes the changed records to the vault, if it remembers peers.
func (n *Node) flush() {
	pm, ok := n.store.(peerMemory)
	if !ok {
		return
	}
	m := n.memory()
	m.mu.Lock()
	var ps []vault.Peer
	for _, r := range m.peers {
		if r.dirty {
			r.dirty = false
			ps = append(ps, vault.Peer{ID: r.ID, Addrs: slices.Clone(r.Addrs), Seen: r.Seen, Source: r.Source})
		}
	}
	m.mu.Unlock()
	if len(ps) > 0 {
		_ = pm.RememberPeers(ps...) // a read-only vault remembers for this run only
	}
}

// Remembered lists the remembered peers, most recently seen first.
func (n *Node) Remembered() []RememberedPeer {
	m := n.memory()
	m.mu.Lock()
	out := make([]RememberedPeer, 0, len(m.peers))
	for _, r := range m.peers {
		out = append(out, RememberedPeer{
			Peer:    vault.Peer{ID: r.ID, Addrs: slices.Clone(r.Addrs), Seen: r.Seen, Source: r.Source},
			LastErr: r.lastErr, ErrAt: r.errAt, NextDial: r.next,
		})
	}
	m.mu.Unlock()
	for i := range out {
		c := n.host.Network().Connectedness(out[i].ID)
		out[i].Connected = c == network.Connected || c == network.Limited
		if out[i].Connected {
			out[i].NextDial = time.Time{}
		}
	}
	slices.SortFunc(out, func(a, b RememberedPeer) int { return b.Seen.Compare(a.Seen) })
	return out
}

// ErrNotRemembered: Forget was given a peer the node does not remember.
var ErrNotRemembered = fmt.Errorf("peer not remembered")

// Forget removes p from the remembered peers, in memory and in the vault,
// and closes its connections: it is not redialled, until it connects
// again.
func (n *Node) Forget(p peer.ID) error {
	m := n.memory()
	m.mu.Lock()
	_, held := m.peers[p]
	delete(m.peers, p)
	delete(m.intents, p)
	if len(m.forgot) >= maxIntents {
		clear(m.forgot)
	}
	m.forgot[p] = time.Now()
	m.mu.Unlock()
	if pm, ok := n.store.(peerMemory); ok {
		inVault, err := pm.ForgetPeer(p)
		if err != nil {
			return fmt.Errorf("forget %s: %w", p, err)
		}
		held = held || inVault
	}
	if !held {
		return fmt.Errorf("forget %s: %w", p, ErrNotRemembered)
	}
	_ = n.host.Network().ClosePeer(p)
	return nil
}
