package dht

import (
	"context"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
)

// recheck bounds how long WaitPeers can miss a routing table change that
// happened between an identify event and the table update it causes.
const recheck = 50 * time.Millisecond

// WaitPeers waits until the routing table holds at least n peers. It wakes
// on identify and protocol events of the host, and rechecks periodically.
func (d *DHT) WaitPeers(ctx context.Context, n int) error {
	sub, err := d.kad.Host().EventBus().Subscribe([]any{
		new(event.EvtPeerIdentificationCompleted),
		new(event.EvtPeerProtocolsUpdated),
	})
	if err != nil {
		return fmt.Errorf("dht wait: %w", err)
	}
	defer sub.Close()
	tick := time.NewTicker(recheck)
	defer tick.Stop()
	for d.Size() < n {
		select {
		case <-sub.Out():
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("dht wait for %d peers, have %d: %w", n, d.Size(), ctx.Err())
		}
	}
	return nil
}
