package node

import (
	"context"
	"errors"
	"sync"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/replicate"
)

// replicator is the part of replicate.Service the node drives.
type replicator interface {
	Sync(ctx context.Context, p peer.ID) (SyncStats, error)
	Close() error
}

// syncSet allows one sync at a time per peer.
type syncSet struct {
	mu   sync.Mutex
	busy map[peer.ID]bool
}

func newSyncSet() *syncSet { return &syncSet{busy: map[peer.ID]bool{}} }

func (s *syncSet) begin(p peer.ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy[p] {
		return false
	}
	s.busy[p] = true
	return true
}

func (s *syncSet) end(p peer.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.busy, p)
}

// startSync runs a sync round with p in the background unless one is
// already running; SyncDone reports its end.
func (n *Node) startSync(p peer.ID) {
	if n.repl == nil || !n.syncs.begin(p) {
		return
	}
	if !n.spawn(func(ctx context.Context) {
		defer n.syncs.end(p)
		stats, err := n.repl.Sync(overRelay(ctx), p)
		if errors.Is(err, replicate.ErrBusy) {
			return // the peer's own session with us carries this round
		}
		n.events.emit(SyncDone{Peer: p, Stats: stats, Err: err})
	}) {
		n.syncs.end(p)
	}
}

// SyncNow runs a sync round with p and waits for it. It returns
// ErrSyncBusy if a round with p is already running.
func (n *Node) SyncNow(ctx context.Context, p peer.ID) (SyncStats, error) {
	if n.repl == nil {
		return SyncStats{}, ErrClosed
	}
	if !n.syncs.begin(p) {
		return SyncStats{}, ErrSyncBusy
	}
	defer n.syncs.end(p)
	stats, err := n.repl.Sync(overRelay(ctx), p)
	n.events.emit(SyncDone{Peer: p, Stats: stats, Err: err})
	return stats, err
}

// syncAll starts a round with every connected peer that speaks sync.
func (n *Node) syncAll() {
	for _, p := range n.host.Network().Peers() {
		if c := n.host.Network().Connectedness(p); c != network.Connected && c != network.Limited {
			continue
		}
		if ok, _ := n.host.Peerstore().SupportsProtocols(p, syncProtocol); len(ok) > 0 {
			n.startSync(p)
		}
	}
}

// overRelay lets sync streams use a limited (relayed) connection when no
// direct one exists: a round fits the relay's budget for small
// differences, and an interrupted round resumes on the next.
func overRelay(ctx context.Context) context.Context {
	return network.WithAllowLimitedConn(ctx, "mycel sync")
}
