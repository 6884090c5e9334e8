package settle

import (
	"encoding/binary"
	"iter"

	"github.com/libp2p/go-libp2p/core/peer"
)

// peerKey returns the last 8 bytes of a peer ID as an integer: random key
// bytes for Ed25519 IDs, so a table keyed by it hashes a uint64, not a
// string. Tables still compare whole IDs: the key only picks a bucket.
func peerKey(id peer.ID) uint64 {
	if len(id) < 8 {
		return 0
	}
	return binary.LittleEndian.Uint64([]byte(id[len(id)-8:]))
}

// byPeer maps peer IDs to values, bucketed by peerKey.
type byPeer[V any] map[uint64][]peerValue[V]

type peerValue[V any] struct {
	id peer.ID
	v  V
}

// get returns the value of id.
func (t byPeer[V]) get(id peer.ID) (V, bool) {
	for _, pv := range t[peerKey(id)] {
		if pv.id == id {
			return pv.v, true
		}
	}
	var zero V
	return zero, false
}

// put sets the value of id, which must not be held yet.
func (t byPeer[V]) put(id peer.ID, v V) {
	k := peerKey(id)
	t[k] = append(t[k], peerValue[V]{id, v})
}

// all yields every (id, value), in no particular order.
func (t byPeer[V]) all() iter.Seq2[peer.ID, V] {
	return func(yield func(peer.ID, V) bool) {
		for _, bucket := range t {
			for _, pv := range bucket {
				if !yield(pv.id, pv.v) {
					return
				}
			}
		}
	}
}
