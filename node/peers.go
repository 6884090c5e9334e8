package node

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// PeerInfo describes a connected peer.
type PeerInfo struct {
	ID       peer.ID
	Addrs    []ma.Multiaddr // remote addresses of open connections
	Direct   bool           // at least one connection not through a relay
	Relayed  bool           // at least one connection through a relay
	LAN      bool           // reached over a private or loopback address
	Latency  time.Duration  // EWMA from the peerstore; 0 if unmeasured
	LastSeen time.Time      // last connect, disconnect or entry from it
	// LastEntry is when an entry it sent was last stored; zero if none
	// since it connected.
	LastEntry time.Time
	// LastSync is the last anti-entropy round with it (zero At: none yet).
	LastSync LastSync
	// ClockSkew is how far its clock runs ahead of ours (negative:
	// behind), from the times of entries it wrote and gossiped to us;
	// valid only when SkewKnown.
	ClockSkew time.Duration
	SkewKnown bool
}

// peerBook remembers when peers were last seen, and how many new authors
// each brought (see newAuthors).
type peerBook struct {
	mu       sync.Mutex
	last     map[peer.ID]time.Time
	provided atomic.Bool
	once     sync.Once
	fresh    *newAuthors
	dials    dialBook
	memory   memory // remembered peers (remember.go)
}

// newAuthors returns the node's new-author quota.
func (n *Node) newAuthors() *newAuthors {
	n.peers.once.Do(func() { n.peers.fresh = newNewAuthors(n.cfg) })
	return n.peers.fresh
}

func newPeerBook() *peerBook { return &peerBook{last: map[peer.ID]time.Time{}} }

func (b *peerBook) seen(p peer.ID) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.last[p] = time.Now()
}

func (b *peerBook) lastSeen(p peer.ID) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last[p]
}

// markProvided reports whether this is the first call.
func (b *peerBook) markProvided() bool { return b.provided.CompareAndSwap(false, true) }

// ID is this node's peer ID.
func (n *Node) ID() peer.ID { return n.host.ID() }

// Addrs returns the node's listen addresses with /p2p/<id>, ready to dial.
func (n *Node) Addrs() []ma.Multiaddr {
	addrs, _ := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: n.host.ID(), Addrs: n.host.Addrs()})
	return addrs
}

// AddrInfo returns the node's ID and listen addresses.
func (n *Node) AddrInfo() peer.AddrInfo { return peer.AddrInfo{ID: n.host.ID(), Addrs: n.host.Addrs()} }

// Connect dials a peer; once connected it is remembered and redialled
// whenever the connection is lost, until Forget.
func (n *Node) Connect(ctx context.Context, p peer.AddrInfo) error {
	n.intend(p.ID, MetConnect)
	if err := n.host.Connect(ctx, p); err != nil {
		return fmt.Errorf("connect %s: %w", p.ID, err)
	}
	return nil
}

// Peers lists the connected peers.
func (n *Node) Peers() []PeerInfo {
	var out []PeerInfo
	for _, p := range n.host.Network().Peers() {
		info := PeerInfo{ID: p, Latency: n.host.Peerstore().LatencyEWMA(p), LastSeen: n.peers.lastSeen(p)}
		info.LastEntry, info.LastSync, info.ClockSkew, info.SkewKnown = n.stats.of(p)
		for _, c := range n.host.Network().ConnsToPeer(p) {
			addr := c.RemoteMultiaddr()
			info.Addrs = append(info.Addrs, addr)
			relayed := c.Stat().Limited || isCircuit(addr)
			info.Relayed = info.Relayed || relayed
			info.Direct = info.Direct || !relayed
			info.LAN = info.LAN || manet.IsPrivateAddr(addr) || manet.IsIPLoopback(addr)
		}
		out = append(out, info)
	}
	return out
}

func isCircuit(a ma.Multiaddr) bool {
	_, err := a.ValueForProtocol(ma.P_CIRCUIT)
	return err == nil
}

// reachability holds the last AutoNAT verdict.
type reachability struct{ v atomic.Int32 }

func (r *reachability) set(v network.Reachability) { r.v.Store(int32(v)) }

// Reachability is AutoNAT's view of this node: "unknown", "public" or
// "private"; "lan" while unknown with no public listen address (see
// Reach.LANOnly).
func (n *Node) Reachability() string {
	r := n.Reach()
	if r.LANOnly {
		return ReachLAN
	}
	return strings.ToLower(r.Status.String())
}

// ReachLAN is the Reachability of a node with no public address.
const ReachLAN = "lan"

// ReachWords is Reach().String().
func (n *Node) ReachWords() string { return n.Reach().String() }

// Connection says how a peer is connected: "relayed" (through relays
// only), "lan" (over a private or loopback address) or "direct".
func (p PeerInfo) Connection() string {
	switch {
	case p.Relayed && !p.Direct:
		return "relayed"
	case p.LAN:
		return "lan"
	}
	return "direct"
}
