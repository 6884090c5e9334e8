package node

import (
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"
)

// restoredVault is a vault that knows it came from a backup or a key
// import (vault.Bolt): its own log's head may be behind what the identity
// wrote elsewhere, so the node refuses to write its own log until a peer
// has confirmed the head.
type restoredVault interface {
	Restored() (bool, error)
	ConfirmHead() error
}

var errRestored = fmt.Errorf("%w: this home was restored from a backup and no peer has confirmed its own log's head yet: "+
	"connect to a peer that holds this identity's entries (mycel connect MULTIADDR) and retry; "+
	"if no other copy of this identity ever wrote, restart with mycel daemon --trust-head", ErrOwnLog)

// loadRestored reads the restored mark at start.
func (n *Node) loadRestored() error {
	rv, ok := n.store.(restoredVault)
	if !ok {
		return nil
	}
	r, err := rv.Restored()
	if err != nil {
		return fmt.Errorf("own log: %w", err)
	}
	n.self.mu.Lock()
	n.self.restored = r
	n.self.mu.Unlock()
	return nil
}

// confirmHead records that p, which holds seq of the own log and no
// more than the vault holds now, confirmed the head of a restored vault.
// A peer that holds none of the own log confirms nothing: it may simply
// never have heard of this identity.
func (n *Node) confirmHead(p peer.ID, seq uint64, twin bool) {
	s := n.self
	s.mu.Lock()
	if !s.restored || twin || seq == 0 {
		s.mu.Unlock()
		return
	}
	s.restored, s.confirmedBy = false, p
	s.mu.Unlock()
	if rv, ok := n.store.(restoredVault); ok {
		_ = rv.ConfirmHead() // kept for this run either way; the next start asks again
	}
}
