package node

import (
	"context"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/vault"
)

// dialTimeout bounds one discovery dial.
const dialTimeout = 15 * time.Second

// startDiscovery starts mDNS if configured and the discovery loop: dial
// bootstrap peers, refresh the DHT, provide and look up the followed
// districts, then every SyncInterval sync with all peers and look again,
// and every PendingSweep sweep the vault's stale pending entries.
//
// mDNS that cannot start (no multicast interface yet: a board booted
// before its Wi-Fi) does not stop the node: it runs with LAN discovery
// off, logs one line saying so, and tries again every mdnsRetry.
func (n *Node) startDiscovery() error {
	if n.cfg.MDNS {
		s, err := startMDNS(n)
		if err != nil {
			n.log.Warn("mdns off: no multicast interface yet, LAN peers are not found until one comes up",
				"error", err.Error(), "retry", mdnsRetry.String())
			n.spawn(n.retryMDNS)
		}
		n.mdns = s
	}
	n.startRedial()
	n.spawn(n.discover)
	return nil
}

// mdnsRetry is how often a node whose mDNS could not start tries again.
// A variable for tests.
var mdnsRetry = 10 * time.Second

// startMDNS starts the mDNS service of n. A variable so that tests can
// stand in for a machine without a multicast interface.
var startMDNS = func(n *Node) (mdns.Service, error) {
	s := mdns.NewMdnsService(n.host, MDNSService, notifee{n})
	if err := s.Start(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// retryMDNS tries to start mDNS every mdnsRetry until it starts or the
// node stops; a service started while the node closes is closed.
func (n *Node) retryMDNS(ctx context.Context) {
	tick := time.NewTicker(mdnsRetry)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s, err := startMDNS(n)
		if err != nil {
			continue
		}
		n.mu.Lock()
		if n.closed {
			n.mu.Unlock()
			s.Close()
			return
		}
		n.mdns = s
		n.mu.Unlock()
		n.log.Info("mdns on: a multicast interface came up, looking for LAN peers")
		return
	}
}

func (n *Node) discover(ctx context.Context) {
	for _, p := range n.cfg.Bootstrap {
		n.dial(p)
	}
	tick := time.NewTicker(n.cfg.SyncInterval)
	defer tick.Stop()
	sweep := time.NewTicker(n.cfg.PendingSweep)
	defer sweep.Stop()
	for {
		n.districtRound(ctx)
		if !n.nextRound(ctx, tick.C, sweep.C) {
			return
		}
		n.syncAll()
	}
}

// nextRound waits for the next round, sweeping the vault on the way, and
// reports false when the node stops.
func (n *Node) nextRound(ctx context.Context, tick, sweep <-chan time.Time) bool {
	for {
		select {
		case <-ctx.Done():
			return false
		case <-sweep:
			n.sweep()
		case <-tick:
			return true
		}
	}
}

// sweeper is a store that drops stale pending entries; *vault.Bolt is one.
type sweeper interface {
	Sweep() (vault.Swept, error)
}

// sweep drops the vault's pending entries past their TTL (vault.Quota).
func (n *Node) sweep() {
	if s, ok := n.store.(sweeper); ok {
		_, _ = s.Sweep()
	}
}

// districtRound provides each followed district and dials its providers
// (see dialProvider), and waits for those dials; a compute provider
// announces its grid keys again (see OfferGrid).
func (n *Node) districtRound(ctx context.Context) {
	if n.dht.Size() == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	_ = n.provideGrid(ctx)
	_ = n.announceArena(ctx)
	for _, d := range n.cfg.Districts {
		k := dht.DistrictKey(d)
		_ = n.dht.Provide(ctx, k)
		found, _ := n.dht.FindProviders(ctx, k, n.cfg.ConnLow)
		for _, p := range found {
			if !n.mayDial(p) {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				n.dialProvider(ctx, p)
			}()
		}
	}
}

// dial connects to p in the background.
func (n *Node) dial(p peer.AddrInfo) {
	if p.ID == n.host.ID() {
		return
	}
	n.spawn(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, dialTimeout)
		defer cancel()
		_ = n.host.Connect(ctx, p)
	})
}

// notifee connects to peers mDNS finds.
type notifee struct{ n *Node }

func (f notifee) HandlePeerFound(p peer.AddrInfo) {
	if p.ID != f.n.host.ID() {
		f.n.intend(p.ID, MetMDNS)
	}
	f.n.dial(p)
}
