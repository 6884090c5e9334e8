package vault

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"
)

// Authors are numbered so that slot and index keys carry 4 bytes instead
// of the peer ID. The authors bucket maps akey -> num and 0x00|num -> peer
// ID; a number is given in the transaction that first stores the author's
// entry and never changes.

// numberOf returns the number of the author with key ak, or nil when the
// vault holds no entry of that author.
func numberOf(authors *bolt.Bucket, ak []byte) ([]byte, error) {
	n := authors.Get(ak)
	if n != nil && len(n) != numLen {
		return nil, fmt.Errorf("%w: author number %x", ErrCorrupt, n)
	}
	return n, nil
}

// lookup returns author's number in tx, or nil when it has none.
func lookup(tx *bolt.Tx, author peer.ID) ([]byte, error) {
	ak, err := authorKey(author)
	if err != nil {
		return nil, err
	}
	return numberOf(tx.Bucket(bAuthors), ak)
}

// authorOf returns the author numbered num.
func authorOf(authors *bolt.Bucket, num []byte) (peer.ID, error) {
	a := authors.Get(numberKey(num))
	if len(a) == 0 {
		return "", fmt.Errorf("%w: no author numbered %x", ErrCorrupt, num)
	}
	return peer.ID(a), nil
}

// lastNumber returns the highest author number, 0 when there is none: the
// last reverse key, just before the first akey (whose length byte is >= 1).
func lastNumber(authors *bolt.Bucket) (uint32, error) {
	c := authors.Cursor()
	k, _ := c.Seek([]byte{1})
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || k[0] != 0 {
		return 0, nil
	}
	if len(k) != 1+numLen {
		return 0, fmt.Errorf("%w: author number key %x", ErrCorrupt, k)
	}
	return binary.BigEndian.Uint32(k[1:]), nil
}

// number gives author, whose key is ak, the next number, and records it.
func (w *writer) number(author peer.ID, ak []byte) ([]byte, error) {
	if err := w.readLast(); err != nil {
		return nil, err
	}
	if w.last == math.MaxUint32 {
		return nil, fmt.Errorf("author numbers exhausted")
	}
	w.last++
	num := binary.BigEndian.AppendUint32(nil, w.last)
	if err := w.names.Put(ak, num); err != nil {
		return nil, err
	}
	return num, w.names.Put(numberKey(num), []byte(author))
}

// readLast reads the highest author number into w.last, once.
func (w *writer) readLast() error {
	if w.numbered {
		return nil
	}
	last, err := lastNumber(w.names)
	w.last, w.numbered = last, err == nil
	return err
}

// hasPrefix reports whether b holds a key starting with prefix.
func hasPrefix(b *bolt.Bucket, prefix []byte) bool {
	k, _ := b.Cursor().Seek(prefix)
	return k != nil && bytes.HasPrefix(k, prefix)
}
