package vault

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// decodeBlock decodes stored bytes; data is copied out of the transaction.
// Signatures are not checked again: only opened blocks are stored.
func decodeBlock(c cid.Cid, data []byte) (protocol.Block, error) {
	if data == nil {
		return protocol.Block{}, fmt.Errorf("block %s: %w", c, ErrNotFound)
	}
	data = bytes.Clone(data)
	e, err := protocol.Decode(data)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("%w: block %s: %v", ErrCorrupt, c, err)
	}
	return protocol.Block{CID: c, Data: data, Entry: e}, nil
}

// Get returns the block with CID c, or an error wrapping ErrNotFound.
func (v *Bolt) Get(c cid.Cid) (protocol.Block, error) {
	var blk protocol.Block
	err := v.view(func(tx *bolt.Tx) error {
		var err error
		blk, err = decodeBlock(c, tx.Bucket(bBlocks).Get(c.Bytes()))
		return err
	})
	return blk, err
}

// Has reports whether the block with CID c is stored, joined or not.
func (v *Bolt) Has(c cid.Cid) (bool, error) {
	var ok bool
	err := v.view(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bBlocks).Get(c.Bytes()) != nil
		return nil
	})
	return ok, err
}

// Heads returns one Head per author with a joined entry, by author.
func (v *Bolt) Heads() ([]Head, error) {
	var hs []Head
	err := v.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bHeads).ForEach(func(k, val []byte) error {
			if len(k) < 2 {
				return fmt.Errorf("%w: head key %x", ErrCorrupt, k)
			}
			h, err := parseHead(peer.ID(k[1:]), val)
			hs = append(hs, h)
			return err
		})
	})
	return hs, err
}

// Head returns author's head, or a zero Head (Seq 0) when none is joined.
func (v *Bolt) Head(author peer.ID) (Head, error) {
	var h Head
	err := v.view(func(tx *bolt.Tx) error {
		ak, err := authorKey(author)
		if err != nil {
			return err
		}
		h, err = readHead(tx.Bucket(bHeads), ak, author)
		return err
	})
	return h, err
}

// Log returns author's joined entries from seq from on, at most limit
// (limit <= 0: all).
func (v *Bolt) Log(author peer.ID, from uint64, limit int) ([]protocol.Block, error) {
	var out []protocol.Block
	err := v.view(func(tx *bolt.Tx) error {
		num, err := lookup(tx, author)
		if err != nil || num == nil {
			return err
		}
		return scan(tx.Bucket(bLogs), num, seqKey(num, from), func(_, val []byte) (bool, error) {
			blk, err := slotBlock(tx, val)
			out = append(out, blk)
			return limit <= 0 || len(out) < limit, err
		})
	})
	return out, err
}

// Waiting returns the CIDs of author's pending primaries, by seq.
func (v *Bolt) Waiting(author peer.ID) ([]cid.Cid, error) {
	var out []cid.Cid
	err := v.db.View(func(tx *bolt.Tx) error {
		num, err := lookup(tx, author)
		if err != nil || num == nil {
			return err
		}
		return scan(tx.Bucket(bPending), num, num, func(_, val []byte) (bool, error) {
			cb, err := slotCID(val)
			if err != nil {
				return false, err
			}
			c, err := castCID(cb)
			out = append(out, c)
			return true, err
		})
	})
	return out, err
}

// scan calls fn for each key with prefix, from seek on, until fn says stop.
func scan(b *bolt.Bucket, prefix, seek []byte, fn func(k, v []byte) (bool, error)) error {
	c := b.Cursor()
	for k, val := c.Seek(seek); k != nil && bytes.HasPrefix(k, prefix); k, val = c.Next() {
		more, err := fn(k, val)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func blockAt(tx *bolt.Tx, cidBytes []byte) (protocol.Block, error) {
	c, err := castCID(cidBytes)
	if err != nil {
		return protocol.Block{}, err
	}
	return decodeBlock(c, tx.Bucket(bBlocks).Get(cidBytes))
}

// slotBlock returns the block a digest|CID record names.
func slotBlock(tx *bolt.Tx, v []byte) (protocol.Block, error) {
	c, err := slotCID(v)
	if err != nil {
		return protocol.Block{}, err
	}
	return blockAt(tx, c)
}

// Forks returns every equivocation record, by author, seq and digest.
func (v *Bolt) Forks() ([]Fork, error) {
	var fs []Fork
	err := v.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bForks).ForEach(func(k, val []byte) error {
			f, err := readFork(tx, k, val)
			fs = append(fs, f)
			return err
		})
	})
	// Keys are by author number, then seq and digest.
	slices.SortStableFunc(fs, func(a, b Fork) int { return strings.Compare(string(a.Author), string(b.Author)) })
	return fs, err
}

// Others returns the CIDs of the further blocks held of joined entries
// (storage.Another), in slot order.
func (v *Bolt) Others() ([]cid.Cid, error) {
	var cs []cid.Cid
	err := v.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bOthers)
		if b == nil {
			return nil // no further block was ever kept
		}
		return b.ForEach(func(k, _ []byte) error {
			if len(k) <= skeyLen+32 {
				return fmt.Errorf("others key %x", k)
			}
			c, err := castCID(k[skeyLen+32:])
			cs = append(cs, c)
			return err
		})
	})
	return cs, err
}

func readFork(tx *bolt.Tx, k, val []byte) (Fork, error) {
	num, seq, _, err := splitSeqKey(k)
	if err != nil {
		return Fork{}, err
	}
	f := Fork{Seq: seq}
	if f.Author, err = authorOf(tx.Bucket(bAuthors), num); err != nil {
		return Fork{}, err
	}
	if f.Second, err = castCID(val); err != nil {
		return Fork{}, err
	}
	sk := k[:skeyLen]
	rec := tx.Bucket(bLogs).Get(sk)
	if rec == nil {
		rec = tx.Bucket(bPending).Get(sk)
	}
	_, f.First, err = parseSlot(rec)
	return f, err
}

// Count returns the number of joined entries: the sum of the heads' seqs.
func (v *Bolt) Count() (int, error) {
	hs, err := v.Heads()
	n := 0
	for _, h := range hs {
		n += int(h.Seq)
	}
	return n, err
}

// Digest returns sha2-256 over the sorted binary CIDs of every stored entry
// (joined, pending and fork records alike): two vaults holding the same
// entry set have the same Digest, whatever the arrival order.
func (v *Bolt) Digest() ([32]byte, error) {
	h := sha256.New()
	err := v.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bBlocks).ForEach(func(k, _ []byte) error {
			h.Write(k)
			return nil
		})
	})
	var d [32]byte
	h.Sum(d[:0])
	return d, err
}
