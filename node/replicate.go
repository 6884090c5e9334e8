package node

import (
	"errors"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/replicate"
	"github.com/mesocosm/mycel/vault"
)

// syncProtocol is the anti-entropy stream protocol.
const syncProtocol = replicate.SyncProtocol

// SyncStats counts one sync session.
type SyncStats = replicate.Stats

// ErrSyncBusy: a sync round with the peer is already running.
var ErrSyncBusy = errors.New("sync with peer already running")

// newReplicator registers the sync and fetch handlers; blocks they store
// raise Stored events with Source Sync.
func newReplicator(n *Node) replicator {
	return replicate.New(n.host, quotaStore{n.store, n}, replicate.Config{
		Check: n.check,
		OnStored: func(from peer.ID, b protocol.Block, r vault.Result) {
			n.stored(b, r, Sync, from)
		},
		OnRejected: func(from peer.ID, err error) {
			n.events.emit(Rejected{From: from, Source: Sync, Verdict: protocol.Rejected(err)})
		},
		OnAnswered: func(p peer.ID, st SyncStats, err error) {
			n.answered(p, st, err)
			n.passOn(p, st)
			if err == nil {
				n.linksAfter(p, st)
			}
		},
	})
}
