package vault

import (
	"encoding/binary"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"
)

// LogBytes calls fn with the seq, CID and stored bytes of author's joined
// entries from seq from on, in log order, at most limit of them (limit <=
// 0: all), without decoding them: for copying entries out (bundle export)
// at the speed of the file. data is valid only during the call. An error
// from fn stops the scan and is returned.
func (v *Bolt) LogBytes(author peer.ID, from uint64, limit int, fn func(seq uint64, c cid.Cid, data []byte) error) error {
	return v.view(func(tx *bolt.Tx) error {
		num, err := lookup(tx, author)
		if err != nil || num == nil {
			return err
		}
		n, blocks := 0, tx.Bucket(bBlocks)
		return scan(tx.Bucket(bLogs), num, seqKey(num, from), func(k, val []byte) (bool, error) {
			cb, err := slotCID(val)
			if err != nil {
				return false, err
			}
			c, err := castCID(cb)
			if err != nil {
				return false, err
			}
			data := blocks.Get(cb)
			if data == nil {
				return false, ErrCorrupt
			}
			n++
			return limit <= 0 || n < limit, fn(binary.BigEndian.Uint64(k[numLen:]), c, data)
		})
	})
}
