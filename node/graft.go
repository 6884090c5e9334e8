package node

import (
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/mesocosm/mycel/gossip"
)

// graftTracer hears gossipsub's mesh changes. Gossipsub forwards an entry
// to mesh peers only and announces it (IHAVE) to non-mesh peers only, so
// a peer grafted just after an entry passed through never hears of it
// from gossip: a graft on a district topic, on either side, kicks a sync
// round with that peer (kickSync), which carries whatever it missed.
type graftTracer struct{ n *Node }

var _ pubsub.RawTracer = graftTracer{}

func (g graftTracer) Graft(p peer.ID, topic string) {
	if _, err := gossip.District(topic); err == nil {
		g.n.kickSync(p)
	}
}

func (graftTracer) OnNewOutboundStream(peer.ID, protocol.ID)             {}
func (graftTracer) OnClosedOutboundStream(peer.ID)                       {}
func (graftTracer) Join(string)                                          {}
func (graftTracer) Leave(string)                                         {}
func (graftTracer) Prune(peer.ID, string)                                {}
func (graftTracer) ValidateMessage(*pubsub.Message)                      {}
func (graftTracer) DeliverMessage(*pubsub.Message)                       {}
func (graftTracer) RejectMessage(*pubsub.Message, string)                {}
func (graftTracer) DuplicateMessage(*pubsub.Message)                     {}
func (graftTracer) ThrottlePeer(peer.ID)                                 {}
func (graftTracer) RecvRPC(*pubsub.RPC)                                  {}
func (graftTracer) SendRPC(*pubsub.RPC, peer.ID)                         {}
func (graftTracer) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (graftTracer) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (graftTracer) UndeliverableMessage(*pubsub.Message)                 {}
