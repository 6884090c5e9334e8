package node

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
)

// Latency measurement: every peer is pinged (/ipfs/ping/1.0.0) when it
// connects and every PingInterval after; ping.Ping records each round trip
// in the peerstore, whose moving average PeerInfo.Latency reports.
const (
	PingInterval = time.Minute
	pingTimeout  = 10 * time.Second
)

// PeerLatency: a ping to Peer came back after RTT.
type PeerLatency struct {
	Peer peer.ID
	RTT  time.Duration
}

func (PeerLatency) event() {}

// startPinger subscribes to connectedness and starts the ping loop.
func (n *Node) startPinger() error {
	sub, err := n.host.EventBus().Subscribe(new(event.EvtPeerConnectednessChanged))
	if err != nil {
		return err
	}
	busy := newSyncSet()
	n.spawn(func(ctx context.Context) {
		defer sub.Close()
		tick := time.NewTicker(PingInterval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-sub.Out():
				if c := e.(event.EvtPeerConnectednessChanged); c.Connectedness == network.Connected || c.Connectedness == network.Limited {
					n.pingPeer(busy, c.Peer)
				}
			case <-tick.C:
				for _, p := range n.host.Network().Peers() {
					n.pingPeer(busy, p)
				}
			}
		}
	})
	return nil
}

// pingPeer measures one round trip to p in the background, unless a ping
// to p is already running. Failures are left to the connection's owners.
func (n *Node) pingPeer(busy *syncSet, p peer.ID) {
	if !busy.begin(p, false) {
		return
	}
	if !n.spawn(func(ctx context.Context) {
		defer busy.end(p)
		ctx, cancel := context.WithTimeout(ctx, pingTimeout)
		defer cancel()
		res := ping.Ping(ctx, n.host, p)
		r, ok := <-res
		if ok && r.Error == nil {
			n.events.emit(PeerLatency{Peer: p, RTT: r.RTT})
		}
		cancel()
		for range res {
		}
	}) {
		busy.end(p)
	}
}
