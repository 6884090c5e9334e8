package embed

import (
	"context"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/node"
)

// recheck is how often a wait reads the state again with no event: an
// event dropped on a full channel must not leave it waiting forever.
const recheck = time.Second

// Subscribe returns the node's events (node.Stored for each entry stored,
// node.Rejected, peers coming and going, sync rounds) with room for buffer
// of them, and a function that ends the subscription. A full channel
// drops events rather than stall the mesh: read it promptly.
func (p *Peer) Subscribe(buffer int) (<-chan node.Event, func()) {
	return p.node.Subscribe(buffer)
}

// Await waits until cond holds over the peer's views (proof status,
// balances, pledges, rosters), checking at once and again after each
// entry the peer stores, which is when the views change. It returns
// ctx's error if ctx ends first.
func (p *Peer) Await(ctx context.Context, cond func(*node.Views) bool) error {
	ev, stop := p.node.Subscribe(256)
	defer stop()
	for !cond(p.node.Views()) {
		if err := next(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}

// AwaitEntry waits until the peer holds the entry c, stored from any
// source (its own log, gossip, sync, a bundle).
func (p *Peer) AwaitEntry(ctx context.Context, c cid.Cid) error {
	ev, stop := p.node.Subscribe(256)
	defer stop()
	for {
		if _, err := p.Vault.Get(c); err == nil {
			return nil
		}
		if err := next(ctx, ev); err != nil {
			return err
		}
	}
}

// next waits for one event, or recheck: either only wakes the caller,
// which reads the state again.
func next(ctx context.Context, ev <-chan node.Event) error {
	t := time.NewTimer(recheck)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case _, ok := <-ev:
		if !ok {
			return fmt.Errorf("embed: the node closed")
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
