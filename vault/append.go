package vault

import (
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// Append signs e as the next entry of key's log and stores it, in one
// transaction: it sets Seq to the head's seq + 1, Prev to the head's CID,
// and Time to now when e.Time is 0. Concurrent Appends get consecutive
// seqs. It fails with ErrBehind when the vault holds entries of key's own
// log past its head: appending then would fork the log.
func (v *Bolt) Append(key crypto.PrivKey, e protocol.Entry) (protocol.Block, error) {
	author, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("vault append: %w", err)
	}
	if e.Time == 0 {
		e.Time = time.Now().UnixMilli()
	}
	var blk protocol.Block
	err = v.update(func(tx *bolt.Tx) error {
		w, err := newWriter(tx, v.opt)
		if err != nil {
			return err
		}
		s, err := w.author(author)
		if err != nil {
			return err
		}
		if s.pending {
			return ErrBehind
		}
		e.Seq, e.Prev = s.head.Seq+1, s.head.CID
		if blk, err = protocol.Sign(key, e); err != nil {
			return err
		}
		res, err := w.put(blk)
		if err == nil && res.Status != New {
			err = fmt.Errorf("%w: seq %d stored as %s", ErrCorrupt, e.Seq, res.Status)
		}
		if err != nil {
			return err
		}
		return w.flush()
	})
	if err != nil {
		return protocol.Block{}, fmt.Errorf("vault append: %w", err)
	}
	return blk, nil
}
