package embed

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
)

// gossipWait bounds how long Publish waits for gossip to take a stored
// entry; past it, sync carries the entry instead.
const gossipWait = 10 * time.Second

// mesh adapts a running node to api.Mesh.
type mesh struct {
	n       *node.Node
	offline bool // started with no listen addresses
}

var (
	_ api.Mesh     = (*mesh)(nil)
	_ api.Importer = (*mesh)(nil)
)

func (m *mesh) Addrs() []string {
	out := []string{}
	for _, a := range m.n.Addrs() {
		out = append(out, a.String())
	}
	return out
}

func (m *mesh) Reachability() string {
	if m.offline {
		return api.ReachOffline
	}
	return m.n.Reachability()
}

func (m *mesh) Relays() []string {
	out := []string{}
	if m.offline {
		return out
	}
	for _, r := range m.n.Reach().Relays {
		out = append(out, r.String())
	}
	return out
}

func (m *mesh) Peers() []api.Peer {
	infos := m.n.Peers()
	out := make([]api.Peer, 0, len(infos))
	for _, p := range infos {
		out = append(out, peerOf(p))
	}
	slices.SortFunc(out, func(a, b api.Peer) int { return strings.Compare(a.PeerID, b.PeerID) })
	return out
}

func peerOf(p node.PeerInfo) api.Peer {
	out := api.Peer{
		PeerID: p.ID.String(), Connection: p.Connection(),
		LatencyMS: float64(p.Latency.Microseconds()) / 1000, LastSeen: p.LastSeen.UTC(),
		LastEntry: utcOrZero(p.LastEntry), LastSync: syncOf(p.LastSync),
	}
	if len(p.Addrs) > 0 {
		out.Addr = p.Addrs[0].String()
	}
	if p.SkewKnown {
		ms := p.ClockSkew.Milliseconds()
		out.ClockSkewMS = &ms
	}
	return out
}

// syncOf is the API form of a peer's last sync round; nil before one.
func syncOf(l node.LastSync) *api.PeerSync {
	if l.At.IsZero() {
		return nil
	}
	s := l.Stats
	return &api.PeerSync{
		At: l.At.UTC(), InSync: l.InSync(), Received: s.Received, New: s.New + s.Forks, Sent: s.Sent,
		BytesIn: s.BytesReceived, BytesOut: s.BytesSent, Error: l.Err,
	}
}

func (m *mesh) Connect(ctx context.Context, addr string) (api.Peer, error) {
	a, err := ma.NewMultiaddr(addr)
	if err != nil {
		return api.Peer{}, api.CheckPeerAddr(addr)
	}
	info, err := peer.AddrInfoFromP2pAddr(a)
	if err != nil {
		return api.Peer{}, api.CheckPeerAddr(addr)
	}
	if err := m.n.Connect(ctx, *info); err != nil {
		return api.Peer{}, err
	}
	for _, p := range m.n.Peers() {
		if p.ID == info.ID {
			return peerOf(p), nil
		}
	}
	return api.Peer{PeerID: info.ID.String(), Addr: addr, Connection: api.ConnDirect}, nil
}

// Publish appends and gossips. A block that was stored but could not be
// gossiped (no peer on the topic yet) is still published: sync carries it.
// A write refused to keep the own log whole is an api.ErrConflict.
func (m *mesh) Publish(ctx context.Context, e protocol.Entry) (protocol.Block, error) {
	ctx, cancel := context.WithTimeout(ctx, gossipWait)
	defer cancel()
	p, err := m.n.Publish(ctx, e)
	if errors.Is(err, node.ErrOwnLog) {
		return protocol.Block{}, api.Conflict(err)
	}
	return p.Block, err
}

// OwnLogErr says why this peer refuses to write its own log, or nil.
func (m *mesh) OwnLogErr() error { return m.n.OwnLogErr() }

// Import reads a bundle through the node: its check, its Stored and
// Rejected events, no gossip.
func (m *mesh) Import(r io.Reader, progress func(int)) (bundle.Report, error) {
	return m.n.Import(r, progress)
}
