package node

import (
	"context"
	"errors"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/gossip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// startGossip starts gossipsub with the storing validator and subscribes
// to the followed districts.
func (n *Node) startGossip(o options) error {
	cfg := gossip.Config{
		Check: n.check,
		StoreFrom: func(from peer.ID, b protocol.Block) (vault.Result, error) {
			rs, err := n.put(Gossip, from, b)
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
		},
		OnScores: o.scores,
	}
	g, err := gossip.New(n.host, cfg, o.pubsub...)
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
