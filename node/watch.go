package node

import (
	"context"
	"slices"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// watchHost follows the host's event bus: connectedness (events, peer
// book, redials of remembered peers), identify (a peer that speaks sync
// is remembered and gets a sync round) and reachability.
func (n *Node) watchHost() error {
	sub, err := n.host.EventBus().Subscribe([]any{
		new(event.EvtPeerConnectednessChanged),
		new(event.EvtPeerIdentificationCompleted),
		new(event.EvtLocalReachabilityChanged),
	})
	if err != nil {
		return err
	}
	n.spawn(func(ctx context.Context) {
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-sub.Out():
				n.hostEvent(e)
			}
		}
	})
	return nil
}

func (n *Node) hostEvent(e any) {
	switch e := e.(type) {
	case event.EvtPeerConnectednessChanged:
		switch e.Connectedness {
		case network.Connected:
			n.peers.seen(e.Peer)
			n.events.emit(PeerConnected{Peer: e.Peer})
		case network.NotConnected:
			n.peers.seen(e.Peer)
			n.stats.forget(e.Peer)
			n.lost(e.Peer)
			n.events.emit(PeerDisconnected{Peer: e.Peer})
		}
	case event.EvtPeerIdentificationCompleted:
		if slices.Contains(e.Protocols, protocol.ID(syncProtocol)) {
			n.remember(e.Peer)
			n.startSync(e.Peer)
		}
	case event.EvtLocalReachabilityChanged:
		n.reach.set(e.Reachability)
		n.events.emit(ReachChanged{Reach: n.Reach()})
	}
}
