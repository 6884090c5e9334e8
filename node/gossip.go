package node

import (
	"context"
	"errors"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/gossip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// errDropped is the store error of a gossip message WithGossipFaults drops.
var errDropped = errors.New("message dropped by the fault hook")

// startGossip starts gossipsub with the storing validator and subscribes
// to the followed districts.
func (n *Node) startGossip(o options) error {
	cfg := gossip.Config{
		Check: n.check,
		StoreFrom: func(from peer.ID, b protocol.Block) (vault.Result, error) {
			times := 1
			if o.gossipFault != nil {
				if times = o.gossipFault(from); times < 1 {
					return vault.Result{}, errDropped
				}
			}
			rs, err := n.put(Gossip, from, b)
			for ; err == nil && times > 1; times-- {
				_, err = n.put(Gossip, from, b)
			}
			if err != nil {
				return vault.Result{}, err
			}
			return rs[0], nil
		},
		OnReject: func(r gossip.Rejection) {
			n.events.emit(Rejected{From: r.From, Source: Gossip, District: r.District, Verdict: r.Verdict})
			if errors.Is(r.Verdict.Reason, gossip.ErrGap) && r.From != "" {
				n.startSync(r.From) // the sender holds what the gap lacks
			}
		},
		OnTopicPeer: func(d string, p peer.ID, joined bool) {
			n.events.emit(TopicPeer{District: d, Peer: p, Joined: joined})
			if joined {
				n.kickSync(p) // it may lack what gossip carried before it joined
			}
		},
		OnScores: o.scores,
	}
	extra := append([]pubsub.Option{pubsub.WithRawTracer(graftTracer{n})}, o.pubsub...)
	g, err := gossip.New(n.host, cfg, extra...)
	if err != nil {
		return err
	}
	n.gossip = g
	for _, d := range n.cfg.Districts {
		sub, err := g.Subscribe(d)
		if err != nil {
			return err
		}
		n.spawn(func(ctx context.Context) { drain(ctx, sub) })
	}
	return nil
}

// drain consumes a district subscription: deliveries were stored and
// announced by the validator already.
func drain(ctx context.Context, sub *gossip.Subscription) {
	defer sub.Cancel()
	for {
		if _, err := sub.Next(ctx); err != nil {
			return
		}
	}
}
