package node

import (
	"context"
	"sync/atomic"
	"time"
)

// recheckDelay is how long after an entry first arrives by gossip the node
// kicks a round with every peer (recheckAfterGossip).
const recheckDelay = time.Second

// recheck is armed while a round after gossip is due.
type recheck struct{ armed atomic.Bool }

// recheckAfterGossip kicks a round with every connected peer recheckDelay
// after an entry was stored from gossip or published here (and so sent by
// gossip), at most once per recheckDelay.
// Gossipsub sends a message once per mesh link and announces it (IHAVE)
// only to peers outside the mesh, so a copy lost on a mesh link (a full
// send queue, a reset stream, a peer that failed to store it) is never
// offered again: without the round that peer would wait for the next sync
// interval. Peers in sync reconcile in one root summary; a peer that lost
// a copy gets it in the round and passes it on (passOn).
func (n *Node) recheckAfterGossip() {
	if !n.recheck.armed.CompareAndSwap(false, true) {
		return
	}
	if !n.spawn(func(ctx context.Context) {
		ok := pause(ctx, recheckDelay)
		n.recheck.armed.Store(false)
		if ok {
			n.recheckAll()
		}
	}) {
		n.recheck.armed.Store(false)
	}
}

// recheckAll runs a round with every connected peer that speaks sync, now
// or right after the one running. Unlike kickAll it ignores the test
// switch that turns kicks off: it is its own trigger.
func (n *Node) recheckAll() {
	for _, p := range n.host.Network().Peers() {
		if ok, _ := n.host.Peerstore().SupportsProtocols(p, syncProtocol); len(ok) > 0 {
			n.syncWith(p, true)
		}
	}
}
