package vault

import (
	"bytes"
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
	ak, err := authorKey(author)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("vault append: %w", err)
	}
	if e.Time == 0 {
		e.Time = time.Now().UnixMilli()
	}
	var blk protocol.Block
	err = v.db.Update(func(tx *bolt.Tx) error {
		w := writer{tx}
		if k, _ := tx.Bucket(bPending).Cursor().Seek(ak); k != nil && bytes.HasPrefix(k, ak) {
			return ErrBehind
		}
		head, err := w.head(ak, author)
		if err != nil {
			return err
		}
		e.Seq, e.Prev = head.Seq+1, head.CID
		if blk, err = protocol.Sign(key, e); err != nil {
			return err
		}
		res, err := w.put(blk)
		if err == nil && res.Status != New {
			err = fmt.Errorf("%w: seq %d stored as %s", ErrCorrupt, e.Seq, res.Status)
		}
		return err
	})
	if err != nil {
		return protocol.Block{}, fmt.Errorf("vault append: %w", err)
	}
	return blk, nil
}
