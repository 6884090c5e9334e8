package gossip

import (
	"context"
	"sync"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// ledger gathers what the routers of a test mesh do: copies of each
// message sent, received and received again (duplicates), and each
// peer's mesh. Waiters are woken on every change.
type ledger struct {
	mu               sync.Mutex
	sent, recv, dups map[string]int // by message ID
	mesh             []map[peer.ID]bool
	change           chan struct{}
}

func newLedger(n int) *ledger {
	l := &ledger{
		sent: map[string]int{}, recv: map[string]int{}, dups: map[string]int{},
		mesh: make([]map[peer.ID]bool, n), change: make(chan struct{}, 1),
	}
	for i := range l.mesh {
		l.mesh[i] = map[peer.ID]bool{}
	}
	return l
}

// tracer returns the raw tracer of peer i.
func (l *ledger) tracer(i int) pubsub.RawTracer { return peerTracer{l, i} }

func (l *ledger) update(f func()) {
	l.mu.Lock()
	f()
	l.mu.Unlock()
	select {
	case l.change <- struct{}{}:
	default:
	}
}

// wait returns when cond, called under the lock, holds, or false when ctx
// ends first.
func (l *ledger) wait(ctx context.Context, cond func() bool) bool {
	for {
		l.mu.Lock()
		ok := cond()
		l.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-l.change:
		case <-ctx.Done():
			return false
		}
	}
}

// settled reports whether every copy of the messages ids that was sent
// has arrived.
func (l *ledger) settled(ids []string) bool {
	for _, id := range ids {
		if l.sent[id] != l.recv[id] {
			return false
		}
	}
	return true
}

// duplicates counts the copies of ids received after the first.
func (l *ledger) duplicates(ids []string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	total := 0
	for _, id := range ids {
		total += l.dups[id]
	}
	return total
}

type peerTracer struct {
	l *ledger
	i int
}

func (t peerTracer) count(m map[string]int, rpc *pubsub.RPC) {
	if len(rpc.GetPublish()) == 0 {
		return
	}
	t.l.update(func() {
		for _, msg := range rpc.GetPublish() {
			m[MessageID(msg)]++
		}
	})
}

func (t peerTracer) SendRPC(rpc *pubsub.RPC, _ peer.ID) { t.count(t.l.sent, rpc) }
func (t peerTracer) RecvRPC(rpc *pubsub.RPC)            { t.count(t.l.recv, rpc) }
func (t peerTracer) DuplicateMessage(m *pubsub.Message) {
	t.l.update(func() { t.l.dups[MessageID(m.Message)]++ })
}
func (t peerTracer) Graft(p peer.ID, _ string) { t.l.update(func() { t.l.mesh[t.i][p] = true }) }
func (t peerTracer) Prune(p peer.ID, _ string) { t.l.update(func() { delete(t.l.mesh[t.i], p) }) }

func (peerTracer) OnNewOutboundStream(peer.ID, protocol.ID)             {}
func (peerTracer) OnClosedOutboundStream(peer.ID)                       {}
func (peerTracer) Join(string)                                          {}
func (peerTracer) Leave(string)                                         {}
func (peerTracer) ValidateMessage(*pubsub.Message)                      {}
func (peerTracer) DeliverMessage(*pubsub.Message)                       {}
func (peerTracer) RejectMessage(*pubsub.Message, string)                {}
func (peerTracer) ThrottlePeer(peer.ID)                                 {}
func (peerTracer) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (peerTracer) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (peerTracer) UndeliverableMessage(*pubsub.Message)                 {}

// messageID is the message ID of a block's bytes.
func messageID(data []byte) string { return MessageID(&pb.Message{Data: data}) }
