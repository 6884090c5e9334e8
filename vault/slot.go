package vault

import (
	"bytes"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

// advance joins entries while the slot after the head holds one that
// chains to it, and returns their CIDs in log order.
func (w *writer) advance(s *author) ([]cid.Cid, error) {
	var joined []cid.Cid
	for {
		sk := seqKey(s.num, s.head.Seq+1)
		next, ok, err := w.candidate(s, sk)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if err := w.join(s, sk, next.Block, next.digest); err != nil {
			return nil, err
		}
		joined = append(joined, next.CID)
	}
	if len(joined) > 0 {
		s.pending = hasPrefix(w.pending, s.num)
	}
	return joined, nil
}

type slotEntry struct {
	protocol.Block
	digest [32]byte
}

// candidate finds the entry at slot sk that chains to head and takes it
// out of pending: the pending primary if it chains, else the first fork
// record (by digest) that does, which then becomes the primary while the
// old primary becomes a fork record.
func (w *writer) candidate(s *author, sk []byte) (slotEntry, bool, error) {
	head := s.head
	pv := w.pending.Get(sk)
	if pv == nil {
		return slotEntry{}, false, nil
	}
	pd, pc, err := parseSlot(pv)
	if err != nil {
		return slotEntry{}, false, err
	}
	blk, err := w.block(pc)
	if err != nil {
		return slotEntry{}, false, err
	}
	// Whichever entry joins, the slot's records stop being pending.
	n, size, err := w.slotRecords(sk, pv)
	if err != nil {
		return slotEntry{}, false, err
	}
	if chains(blk.Entry, head) {
		w.count(s, -n, size)
		return slotEntry{blk, pd}, true, w.pending.Delete(sk)
	}
	c := w.forks.Cursor()
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
		if err := w.forks.Put(forkKey(sk, pd), pc.Bytes()); err != nil {
			return slotEntry{}, false, err
		}
		w.count(s, -n, size)
		return next, true, w.pending.Delete(sk)
	}
	return slotEntry{}, false, nil
}
