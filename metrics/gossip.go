package metrics

import (
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// GossipTracer returns a gossipsub tracer that counts deliveries,
// duplicates and rejections: pass it as
// node.WithPubSub(pubsub.WithRawTracer(m.GossipTracer())).
func (m *Metrics) GossipTracer() pubsub.RawTracer { return gossipTracer{m} }

type gossipTracer struct{ m *Metrics }

var _ pubsub.RawTracer = gossipTracer{}

func (t gossipTracer) DeliverMessage(*pubsub.Message) {
	t.m.gossip.WithLabelValues("delivered").Inc()
}
func (t gossipTracer) DuplicateMessage(*pubsub.Message) {
	t.m.gossip.WithLabelValues("duplicate").Inc()
}

// RejectMessage counts messages the validators ignored (duplicates of
// held entries, unknown districts) apart from those they rejected.
func (t gossipTracer) RejectMessage(_ *pubsub.Message, reason string) {
	if reason == pubsub.RejectValidationIgnored {
		t.m.gossip.WithLabelValues("ignored").Inc()
		return
	}
	t.m.gossip.WithLabelValues("rejected").Inc()
}

func (gossipTracer) AddPeer(peer.ID, protocol.ID)                         {}
func (gossipTracer) RemovePeer(peer.ID)                                   {}
func (gossipTracer) OnNewOutboundStream(peer.ID, protocol.ID)             {}
func (gossipTracer) OnClosedOutboundStream(peer.ID)                       {}
func (gossipTracer) Join(string)                                          {}
func (gossipTracer) Leave(string)                                         {}
func (gossipTracer) Graft(peer.ID, string)                                {}
func (gossipTracer) Prune(peer.ID, string)                                {}
func (gossipTracer) ValidateMessage(*pubsub.Message)                      {}
func (gossipTracer) ThrottlePeer(peer.ID)                                 {}
func (gossipTracer) RecvRPC(*pubsub.RPC)                                  {}
func (gossipTracer) SendRPC(*pubsub.RPC, peer.ID)                         {}
func (gossipTracer) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (gossipTracer) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (gossipTracer) UndeliverableMessage(*pubsub.Message)                 {}
