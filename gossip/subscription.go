package gossip

import (
	"context"
	"fmt"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// Delivery is an accepted block from a peer, already stored. Its
// Result.Status is New or Equivocation.
type Delivery struct {
	Block  protocol.Block
	Result storage.Result
	From   peer.ID
}

// Subscription delivers the accepted blocks of one district.
type Subscription struct {
	sub *pubsub.Subscription
}

// Subscribe joins a district's topic (taking part in its mesh) and returns
// its accepted blocks. Blocks this peer published are not delivered.
func (g *Gossip) Subscribe(district string) (*Subscription, error) {
	t, err := g.topic(district)
	if err != nil {
		return nil, err
	}
	sub, err := t.Subscribe()
	if err != nil {
		return nil, fmt.Errorf("gossip subscribe %s: %w", district, err)
	}
	return &Subscription{sub: sub}, nil
}

// Next waits for the next accepted block. It returns an error when ctx
// ends or the subscription is cancelled.
func (s *Subscription) Next(ctx context.Context) (Delivery, error) {
	for {
		m, err := s.sub.Next(ctx)
		if err != nil {
			return Delivery{}, err
		}
		if d, ok := m.ValidatorData.(Delivery); ok { // not our own publications
			return d, nil
		}
	}
}

// Cancel ends the subscription.
func (s *Subscription) Cancel() { s.sub.Cancel() }
