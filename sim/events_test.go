package sim

import (
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/mesocosm/mycel/node"
)

// watch logs p's node events while it runs, for a replayed seed (-seed):
// each stored entry with its source and sender, each sync round that
// stored something, topic joins and connections. The channel closes when
// the node does.
func (w *world) watch(p *simPeer) {
	ch, _ := p.node.Subscribe(4096)
	go func() {
		for e := range ch {
			switch e := e.(type) {
			case node.Stored:
				w.logf("peer %d stored %s seq %d of %s: %s by %s from %s", p.i, e.Block.Entry.Kind, e.Block.Entry.Seq,
					w.name(e.Block.Entry.Author), e.Result.Status, e.Source, w.name(e.From))
			case node.SyncDone:
				if e.Stats.New+e.Stats.Forks > 0 || e.Err != nil {
					w.logf("peer %d sync with %s: new %d, forks %d, err %v", p.i, w.name(e.Peer), e.Stats.New, e.Stats.Forks, e.Err)
				}
			case node.TopicPeer:
				w.logf("peer %d topic: %s joined=%v", p.i, w.name(e.Peer), e.Joined)
			case node.PeerConnected:
				w.logf("peer %d connected to %s", p.i, w.name(e.Peer))
			case node.RedialFailed:
				w.logf("peer %d redial of %s failed, next in %s", p.i, w.name(e.Peer), e.Wait)
			case node.PeerDisconnected:
				w.logf("peer %d disconnected from %s", p.i, w.name(e.Peer))
			}
		}
	}()
}

// meshTracer logs one peer's gossipsub mesh changes and the IHAVE and
// IWANT it sends, for a replayed seed.
type meshTracer struct {
	w *world
	i int
}

func (t meshTracer) Graft(p peer.ID, topic string) {
	t.w.logf("peer %d grafts %s", t.i, t.w.name(p))
}
func (t meshTracer) Prune(p peer.ID, topic string) {
	t.w.logf("peer %d prunes %s", t.i, t.w.name(p))
}
func (t meshTracer) SendRPC(rpc *pubsub.RPC, p peer.ID) {
	if c := rpc.GetControl(); c != nil && (len(c.GetIhave()) > 0 || len(c.GetIwant()) > 0) {
		t.w.logf("peer %d sends %s ihave %d iwant %d", t.i, t.w.name(p), len(c.GetIhave()), len(c.GetIwant()))
	}
}
func (meshTracer) AddPeer(peer.ID, protocol.ID)                         {}
func (meshTracer) RemovePeer(peer.ID)                                   {}
func (meshTracer) Join(string)                                          {}
func (meshTracer) Leave(string)                                         {}
func (meshTracer) ValidateMessage(*pubsub.Message)                      {}
func (meshTracer) DeliverMessage(*pubsub.Message)                       {}
func (meshTracer) RejectMessage(*pubsub.Message, string)                {}
func (meshTracer) DuplicateMessage(*pubsub.Message)                     {}
func (meshTracer) ThrottlePeer(peer.ID)                                 {}
func (meshTracer) RecvRPC(*pubsub.RPC)                                  {}
func (meshTracer) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (meshTracer) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (meshTracer) UndeliverableMessage(*pubsub.Message)                 {}
func (meshTracer) OnNewOutboundStream(peer.ID, protocol.ID)             {}
func (meshTracer) OnClosedOutboundStream(peer.ID)                       {}
