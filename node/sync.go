package node

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/time/rate"

	"github.com/mesocosm/mycel/replicate"
)

// replicator is the part of replicate.Service the node drives.
type replicator interface {
	Sync(ctx context.Context, p peer.ID) (SyncStats, error)
	Close() error
}

// Kicked rounds (kickSync) that meet the peer's own session with us
// (ErrBusy) run again after busyRetry, at most busyRetries times: that
// session may have taken its snapshot before what the kick is about.
// Kicked rounds with one peer start at most kickBurst at once and then
// one per kickEvery, so a peer that churns its subscriptions cannot make
// this node sync back to back; a connect raises about three kicks
// (identify, topic join, graft).
const (
	busyRetry   = 250 * time.Millisecond
	busyRetries = 4
	kickEvery   = time.Second
	kickBurst   = 4
	maxKicked   = 1024 // peers whose kick budget is remembered
)

// syncSet allows one sync at a time per peer, and remembers peers owed
// one more round because they were kicked while one ran.
type syncSet struct {
	mu   sync.Mutex
	busy map[peer.ID]bool
	owed map[peer.ID]bool
	kick map[peer.ID]*rate.Limiter
	// unkicked turns kicks off: tests of other sync triggers set it
	// before connecting.
	unkicked atomic.Bool
}

func newSyncSet() *syncSet {
	return &syncSet{busy: map[peer.ID]bool{}, owed: map[peer.ID]bool{}, kick: map[peer.ID]*rate.Limiter{}}
}

// kickWait books a kicked round with p and returns how long it must wait
// for p's kick budget. Full budgets are forgotten when too many are held.
func (s *syncSet) kickWait(p peer.ID) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.kick[p]
	if !ok {
		if len(s.kick) >= maxKicked {
			for id, l := range s.kick {
				if l.Tokens() >= kickBurst {
					delete(s.kick, id)
				}
			}
		}
		l = rate.NewLimiter(rate.Every(kickEvery), kickBurst)
		s.kick[p] = l
	}
	return l.Reserve().Delay()
}

// begin reports whether a round with p may start now. When one is
// running and owe is set, that round runs once more when it ends.
func (s *syncSet) begin(p peer.ID, owe bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy[p] {
		s.owed[p] = s.owed[p] || owe
		return false
	}
	s.busy[p] = true
	return true
}

// next reports whether another round with p is due now that one ended
// (it was owed, or retry is set); if not, p is no longer busy.
func (s *syncSet) next(p peer.ID, retry bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.owed[p] || retry {
		delete(s.owed, p)
		return true
	}
	delete(s.busy, p)
	return false
}

// end marks p not busy, forgetting any owed round.
func (s *syncSet) end(p peer.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.owed, p)
	delete(s.busy, p)
}

// startSync runs a sync round with p in the background unless one is
// already running; SyncDone reports its end.
func (n *Node) startSync(p peer.ID) { n.syncWith(p, false) }

// kickSync runs a sync round with p in the background now, or right
// after the one running: something p may lack was stored, or p was
// grafted or joined a topic after gossip passed it by.
func (n *Node) kickSync(p peer.ID) {
	if !n.syncs.unkicked.Load() {
		n.syncWith(p, true)
	}
}

func (n *Node) syncWith(p peer.ID, kicked bool) {
	if n.repl == nil || p == n.host.ID() || !n.syncs.begin(p, kicked) {
		return
	}
	if !n.spawn(func(ctx context.Context) { n.syncRounds(ctx, p, kicked) }) {
		n.syncs.end(p)
	}
}

// syncRounds runs rounds with p while they are owed.
func (n *Node) syncRounds(ctx context.Context, p peer.ID, kicked bool) {
	for tries := 0; ; {
		if kicked && !pause(ctx, n.syncs.kickWait(p)) {
			n.syncs.end(p)
			return
		}
		stats, err := n.repl.Sync(overRelay(ctx), p)
		busy := errors.Is(err, replicate.ErrBusy)
		if err == nil {
			n.fetchLinks(ctx, p)
		}
		if !busy {
			n.syncDone(p, stats, err)
		}
		n.passOn(p, stats)
		retry := busy && kicked && tries < busyRetries && ctx.Err() == nil
		if !n.syncs.next(p, retry) {
			return
		}
		kicked = true
		if busy {
			tries++
			if !pause(ctx, busyRetry) {
				n.syncs.end(p)
				return
			}
		}
	}
}

// syncDone records the end of a round with p and announces it.
func (n *Node) syncDone(p peer.ID, stats SyncStats, err error) {
	l := LastSync{At: time.Now(), Stats: stats}
	if err != nil {
		l.Err = err.Error()
	}
	n.stats.synced(p, l)
	n.events.emit(SyncDone{Peer: p, Stats: stats, Err: err})
}

// SyncAnswered: an anti-entropy round that Peer started with this node
// ended; Stats are this side's counts.
type SyncAnswered struct {
	Peer  peer.ID
	Stats SyncStats
	Err   error
}

func (SyncAnswered) event() {}

// answered records the end of a round p started and announces it.
func (n *Node) answered(p peer.ID, stats SyncStats, err error) {
	l := LastSync{At: time.Now(), Stats: stats}
	if err != nil {
		l.Err = err.Error()
	}
	n.stats.synced(p, l)
	n.events.emit(SyncAnswered{Peer: p, Stats: stats, Err: err})
}

// pause waits d, and reports false if ctx ends first.
func pause(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// passOn kicks a round with every other connected peer once a round
// with from stored entries this node did not hold: gossip does not carry
// what sync brings, so without it an entry would cross one hop per sync
// interval after a partition heals. Rounds between peers in sync cost a
// few dozen bytes, and a peer passes on only what was new to it, so the
// cascade ends where everyone holds everything.
func (n *Node) passOn(from peer.ID, st SyncStats) {
	if st.New+st.Forks > 0 {
		n.kickAll(from)
	}
}

// kickAll kicks a round with every connected peer that speaks sync,
// except one.
func (n *Node) kickAll(except peer.ID) {
	for _, p := range n.host.Network().Peers() {
		if p == except {
			continue
		}
		if ok, _ := n.host.Peerstore().SupportsProtocols(p, syncProtocol); len(ok) > 0 {
			n.kickSync(p)
		}
	}
}

// SyncNow runs a sync round with p and waits for it. It returns
// ErrSyncBusy if a round with p is already running.
func (n *Node) SyncNow(ctx context.Context, p peer.ID) (SyncStats, error) {
	if n.repl == nil {
		return SyncStats{}, ErrClosed
	}
	if !n.syncs.begin(p, false) {
		return SyncStats{}, ErrSyncBusy
	}
	defer n.endNow(p)
	stats, err := n.repl.Sync(overRelay(ctx), p)
	if err == nil {
		n.fetchLinks(ctx, p)
	}
	n.syncDone(p, stats, err)
	n.passOn(p, stats)
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

// endNow ends a SyncNow round, handing a round owed meanwhile to the
// background.
func (n *Node) endNow(p peer.ID) {
	if n.syncs.next(p, false) && !n.spawn(func(ctx context.Context) { n.syncRounds(ctx, p, true) }) {
		n.syncs.end(p)
	}
}
