package node

import (
	"sync"
	"sync/atomic"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// Event is one of Stored, Rejected, PeerConnected, PeerDisconnected,
// TopicPeer, SyncDone, SettleDone, ReachChanged (reach.go), PeerLatency
// (latency.go).
type Event interface{ event() }

// Source says where a stored or rejected entry came from.
type Source int

const (
	Local  Source = iota // published by this node
	Gossip               // a gossip message
	Sync                 // the sync or fetch protocols
	Import               // Ingest (bundles)
)

func (s Source) String() string { return [...]string{"local", "gossip", "sync", "import"}[s] }

// Stored: a block was stored (New, Pending or Equivocation; Known blocks
// change nothing and raise no event). From is the sending peer, if any.
type Stored struct {
	Block  protocol.Block
	Result vault.Result
	Source Source
	From   peer.ID
}

// Rejected: input was turned down (Reject, or Ignore with a reason such as
// an unknown MIP).
type Rejected struct {
	From     peer.ID
	Source   Source
	District string
	Verdict  protocol.Verdict
}

// PeerConnected and PeerDisconnected follow the host's connectedness.
type PeerConnected struct{ Peer peer.ID }
type PeerDisconnected struct{ Peer peer.ID }

// TopicPeer: a peer joined or left a followed district's topic.
type TopicPeer struct {
	District string
	Peer     peer.ID
	Joined   bool
}

// SyncDone: an anti-entropy round with Peer ended.
type SyncDone struct {
	Peer  peer.ID
	Stats SyncStats
	Err   error
}

// SettleDone: a settler round ended; Stats are the settler's since start
// (Node.Settled) as of then.
type SettleDone struct{ Stats SettleStats }

func (SettleDone) event()       {}
func (Stored) event()           {}
func (Rejected) event()         {}
func (PeerConnected) event()    {}
func (PeerDisconnected) event() {}
func (TopicPeer) event()        {}
func (SyncDone) event()         {}

// bus fans events out to bounded subscriber channels; a full channel
// drops the event and counts it, so a slow subscriber never stalls the mesh.
type bus struct {
	mu      sync.Mutex
	subs    map[chan Event]struct{}
	closed  bool
	dropped atomic.Uint64
}

func newBus() *bus { return &bus{subs: map[chan Event]struct{}{}} }

func (b *bus) emit(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- e:
		default:
			b.dropped.Add(1)
		}
	}
}

func (b *bus) subscribe(buffer int) (<-chan Event, func()) {
	ch := make(chan Event, max(buffer, 1))
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(ch)
		return ch, func() {}
	}
	b.subs[ch] = struct{}{}
	return ch, func() { b.cancel(ch) }
}

func (b *bus) cancel(ch chan Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[ch]; ok {
		delete(b.subs, ch)
		close(ch)
	}
}

func (b *bus) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for ch := range b.subs {
		delete(b.subs, ch)
		close(ch)
	}
}

// Subscribe returns a channel of events with room for buffer of them, and
// a function that ends the subscription. Events that do not fit are
// dropped and counted (Dropped). The channel closes on Close.
func (n *Node) Subscribe(buffer int) (<-chan Event, func()) { return n.events.subscribe(buffer) }

// Dropped counts events dropped for full subscriber channels.
func (n *Node) Dropped() uint64 { return n.events.dropped.Load() }
