package vault

import (
	"bytes"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// Put stores opened blocks in one transaction (see Writer). Put does not
// check signatures: blocks must come from protocol.Open or protocol.Sign.
// It does check that each block's bytes hash to its CID. An error means
// nothing was written.
func (v *Bolt) Put(blocks ...protocol.Block) ([]Result, error) {
	res := make([]Result, 0, len(blocks))
	err := v.db.Update(func(tx *bolt.Tx) error {
		w := writer{tx}
		for _, b := range blocks {
			r, err := w.put(b)
			if err != nil {
				return fmt.Errorf("vault put %s: %w", b.CID, err)
			}
			res = append(res, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// writer applies the store's rules inside one write transaction.
type writer struct{ tx *bolt.Tx }

func (w writer) b(name []byte) *bolt.Bucket { return w.tx.Bucket(name) }

// put stores one block. The slot (author, seq) holds at most one primary
// entry (in logs when joined, in pending when not); any other entry at the
// slot is a fork record.
func (w writer) put(b protocol.Block) (Result, error) {
	if !b.CID.Defined() || !b.CID.Equals(protocol.Sum(b.Data)) {
		return Result{}, fmt.Errorf("bytes do not match the CID")
	}
	res := Result{CID: b.CID, Status: Known}
	if w.b(bBlocks).Get(b.CID.Bytes()) != nil {
		return res, nil
	}
	id, err := protocol.IDOf(b.Entry)
	if err != nil {
		return Result{}, err
	}
	ak, err := authorKey(id.Author)
	if err != nil {
		return Result{}, err
	}
	sk := seqKey(ak, id.Seq)
	if w.holds(sk, id.Digest) {
		return res, nil
	}
	if err := w.b(bBlocks).Put(b.CID.Bytes(), b.Data); err != nil {
		return Result{}, err
	}
	head, err := w.head(ak, id.Author)
	if err != nil {
		return Result{}, err
	}
	switch {
	case id.Seq <= head.Seq || w.b(bPending).Get(sk) != nil:
		res.Status = Equivocation
		err = w.b(bForks).Put(forkKey(sk, id.Digest), b.CID.Bytes())
	case chains(b.Entry, head): // the common case: straight into the log
		res.Status = New
		err = w.join(ak, b, id.Digest)
		head = Head{Author: id.Author, Seq: id.Seq, CID: b.CID, Digest: id.Digest}
	default:
		res.Status = Pending
		err = w.b(bPending).Put(sk, pendingValue(id.Digest, b.CID))
	}
	if err != nil {
		return Result{}, err
	}
	if res.Joined, err = w.advance(ak, head); err != nil {
		return Result{}, err
	}
	if res.Status != New && len(res.Joined) > 0 && res.Joined[0].Equals(b.CID) {
		res.Status, res.Joined = New, res.Joined[1:] // a fork that took its slot
	}
	if len(res.Joined) == 0 {
		res.Joined = nil
	}
	return res, nil
}

// holds reports whether an entry with this digest is held at the slot sk.
func (w writer) holds(sk []byte, digest [32]byte) bool {
	if d := w.b(bIDs).Get(sk); d != nil {
		return bytes.Equal(d, digest[:])
	}
	if p := w.b(bPending).Get(sk); len(p) >= 32 && bytes.Equal(p[:32], digest[:]) {
		return true
	}
	return w.b(bForks).Get(forkKey(sk, digest)) != nil
}

func (w writer) head(ak []byte, author peer.ID) (Head, error) {
	v := w.b(bHeads).Get(ak)
	if v == nil {
		return Head{Author: author}, nil
	}
	return parseHead(author, v)
}

// advance joins entries while the slot after the head holds one that
// chains to it, and returns their CIDs in log order.
func (w writer) advance(ak []byte, head Head) ([]cid.Cid, error) {
	var joined []cid.Cid
	for {
		next, ok, err := w.candidate(seqKey(ak, head.Seq+1), head)
		if err != nil || !ok {
			return joined, err
		}
		if err := w.join(ak, next.Block, next.digest); err != nil {
			return nil, err
		}
		joined = append(joined, next.CID)
		head = Head{Author: head.Author, Seq: next.Entry.Seq, CID: next.CID, Digest: next.digest}
	}
}

type slotEntry struct {
	protocol.Block
	digest [32]byte
}

// candidate finds the entry at slot sk that chains to head and takes it
// out of pending: the pending primary if it chains, else the first fork
// record (by digest) that does, which then becomes the primary while the
// old primary becomes a fork record.
func (w writer) candidate(sk []byte, head Head) (slotEntry, bool, error) {
	pv := w.b(bPending).Get(sk)
	if pv == nil {
		return slotEntry{}, false, nil
	}
	pd, pc, err := parsePending(pv)
	if err != nil {
		return slotEntry{}, false, err
	}
	blk, err := w.block(pc)
	if err != nil {
		return slotEntry{}, false, err
	}
	if chains(blk.Entry, head) {
		return slotEntry{blk, pd}, true, w.b(bPending).Delete(sk)
	}
	c := w.b(bForks).Cursor()
	for k, fv := c.Seek(sk); k != nil && bytes.HasPrefix(k, sk); k, fv = c.Next() {
		fc, err := castCID(fv)
		if err != nil {
			return slotEntry{}, false, err
		}
		if blk, err = w.block(fc); err != nil {
			return slotEntry{}, false, err
		}
		if !chains(blk.Entry, head) {
			continue
		}
		next := slotEntry{Block: blk}
		copy(next.digest[:], k[len(sk):])
		if err := c.Delete(); err != nil {
			return slotEntry{}, false, err
		}
		if err := w.b(bForks).Put(forkKey(sk, pd), pc.Bytes()); err != nil {
			return slotEntry{}, false, err
		}
		return next, true, w.b(bPending).Delete(sk)
	}
	return slotEntry{}, false, nil
}

// chains reports whether e continues a log whose head is head.
func chains(e protocol.Entry, head Head) bool {
	if e.Seq != head.Seq+1 {
		return false
	}
	if head.Seq == 0 {
		return !e.Prev.Defined()
	}
	return e.Prev.Equals(head.CID)
}

func (w writer) block(c cid.Cid) (protocol.Block, error) {
	return decodeBlock(c, w.b(bBlocks).Get(c.Bytes()))
}

// join appends blk to its author's log and indexes it.
func (w writer) join(ak []byte, blk protocol.Block, digest [32]byte) error {
	sk := seqKey(ak, blk.Entry.Seq)
	h := Head{Seq: blk.Entry.Seq, CID: blk.CID, Digest: digest}
	puts := []struct{ bucket, k, v []byte }{
		{bLogs, sk, blk.CID.Bytes()},
		{bIDs, sk, digest[:]},
		{bHeads, ak, headValue(h)},
	}
	for _, p := range puts {
		if err := w.b(p.bucket).Put(p.k, p.v); err != nil {
			return err
		}
	}
	return w.index(sk, blk)
}
