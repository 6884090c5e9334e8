package gossip

import (
	"context"
	"fmt"

	pubsub "github.com/libp2p/go-libp2p-pubsub"

	"github.com/mesocosm/mycel/protocol"
)

// topic joins a district's topic once: message IDs, score parameters, the
// validator and a watcher of topic peers.
func (g *Gossip) topic(district string) (*pubsub.Topic, error) {
	if !protocol.ValidDistrict(district) {
		return nil, fmt.Errorf("%w: %q", ErrDistrict, district)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil, ErrClosed
	}
	name := Topic(district)
	if t, ok := g.topics[name]; ok {
		return t, nil
	}
	if err := g.ps.RegisterTopicValidator(name, g.validator(district)); err != nil {
		return nil, fmt.Errorf("gossip join %s: %w", name, err)
	}
	t, err := g.ps.Join(name, pubsub.WithTopicMessageIdFn(MessageID))
	if err != nil {
		_ = g.ps.UnregisterTopicValidator(name)
		return nil, fmt.Errorf("gossip join %s: %w", name, err)
	}
	_ = t.SetScoreParams(TopicParams()) // fails only when scoring is off
	if err := g.watch(district, t); err != nil {
		return nil, fmt.Errorf("gossip join %s: %w", name, err)
	}
	g.topics[name] = t
	return t, nil
}

// watch reports topic peers joining and leaving until Close.
func (g *Gossip) watch(district string, t *pubsub.Topic) error {
	if g.cfg.OnTopicPeer == nil {
		return nil
	}
	h, err := t.EventHandler()
	if err != nil {
		return err
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer h.Cancel()
		for {
			ev, err := h.NextPeerEvent(g.ctx)
			if err != nil {
				return
			}
			g.cfg.OnTopicPeer(district, ev.Peer, ev.Type == pubsub.PeerJoin)
		}
	}()
	return nil
}

// Publish sends a block on its district's topic. The caller has stored it
// already; the local validator only checks that it is the block it claims.
func (g *Gossip) Publish(ctx context.Context, district string, b protocol.Block) error {
	if b.Entry.District != district {
		return fmt.Errorf("gossip publish %s: %w: entry is in %q", b.CID, ErrWrongDistrict, b.Entry.District)
	}
	t, err := g.topic(district)
	if err != nil {
		return err
	}
	opts := []pubsub.PubOpt{pubsub.WithValidatorData(b)}
	if len(t.ListPeers()) > 0 {
		// A peer's mesh fills only on its heartbeat after topic peers
		// appear, and gossipsub sends IHAVE to non-mesh peers only: an
		// entry relayed through a peer whose mesh is still empty stops
		// there, and peers grafted later never hear of it (sync repairs
		// that). The router's readiness check (polled every 200 ms)
		// holds until our own mesh has a peer, which puts the
		// publication past our first heartbeat, by which the
		// neighbours' meshes have usually formed too.
		opts = append(opts, pubsub.WithReadiness(pubsub.MinTopicSize(1)))
	}
	if err := t.Publish(ctx, b.Data, opts...); err != nil {
		return fmt.Errorf("gossip publish %s: %w", b.CID, err)
	}
	return nil
}

// Relay joins a district's topic and forwards its messages without
// delivering them locally. Call the returned function to stop.
func (g *Gossip) Relay(district string) (func(), error) {
	t, err := g.topic(district)
	if err != nil {
		return nil, err
	}
	cancel, err := t.Relay()
	if err != nil {
		return nil, fmt.Errorf("gossip relay %s: %w", district, err)
	}
	return cancel, nil
}
