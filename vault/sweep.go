package vault

import (
	"bytes"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Swept reports what Sweep or an eviction dropped: pending records (their
// blocks with them) and authors left with no entry at all.
type Swept struct {
	Entries, Authors int
}

// Sweep drops the pending records of every author whose oldest pending
// record has waited longer than Quota.TTL, and the authors that are left
// with no entry (they had no joined entry): see Quota. It writes only when
// something is due. The node runs it periodically.
func (v *Bolt) Sweep() (Swept, error) {
	cutoff := v.opt.Now().Add(-v.opt.Quota.TTL).UnixMilli()
	var due [][]byte
	err := v.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bWaiting)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, val []byte) error {
			if parseWait(val).since <= cutoff {
				due = append(due, bytes.Clone(k))
			}
			return nil
		})
	})
	if err != nil || len(due) == 0 {
		return Swept{}, err
	}
	var sw Swept
	err = v.update(func(tx *bolt.Tx) error {
		w, err := newWriter(tx, v.opt)
		if err != nil {
			return err
		}
		for _, num := range due {
			if parseWait(w.waiting.Get(num)).since > cutoff {
				continue // it moved on since the read
			}
			if err := w.drop(num, &sw); err != nil {
				return err
			}
		}
		return w.flush()
	})
	if err != nil {
		return Swept{}, fmt.Errorf("vault sweep: %w", err)
	}
	return sw, nil
}

// evict drops the pending records of the authors that have waited longest,
// except those this transaction has touched, until one more record of
// size bytes fits in 7/8 of the caps.
func (w *writer) evict(size uint64) error {
	touched := map[string]bool{}
	for _, s := range w.authors {
		touched[string(s.num)] = true
	}
	type waiter struct {
		num   []byte
		since int64
	}
	var ws []waiter
	err := w.waiting.ForEach(func(k, val []byte) error {
		if !touched[string(k)] {
			ws = append(ws, waiter{bytes.Clone(k), parseWait(val).since})
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(ws, func(a, b waiter) int { return int(a.since - b.since) })
	var sw Swept
	for _, x := range ws {
		if !w.full(size, 7.0/8) {
			break
		}
		if err := w.drop(x.num, &sw); err != nil {
			return err
		}
	}
	w.evicted.Entries += sw.Entries
	w.evicted.Authors += sw.Authors
	return nil
}

// drop deletes the pending records of the author numbered num (pending
// primaries and forks past its head) with their blocks, its waiting record,
// and the author's number when it has no joined entry left. The author must
// not be in w.authors.
func (w *writer) drop(num []byte, sw *Swept) error {
	a, err := authorOf(w.names, num)
	if err != nil {
		return err
	}
	ak, err := authorKey(a)
	if err != nil {
		return err
	}
	head, err := readHead(w.heads, ak, a)
	if err != nil {
		return err
	}
	n, err := w.deleteRange(w.pending, num, seqKey(num, 0), true)
	if err != nil {
		return err
	}
	m, err := w.deleteRange(w.forks, num, seqKey(num, head.Seq+1), false)
	if err != nil {
		return err
	}
	rec := parseWait(w.waiting.Get(num))
	w.totals().add(-int(rec.count), rec.bytes, 0)
	w.totalDirty = true
	if err := w.waiting.Delete(num); err != nil {
		return err
	}
	sw.Entries += n + m
	if head.Seq > 0 {
		return nil
	}
	sw.Authors++
	if err := w.names.Delete(ak); err != nil {
		return err
	}
	return w.names.Delete(numberKey(num))
}

// deleteRange deletes the keys of b with prefix from seek on, and the
// blocks their values name (slot records when slot, else CIDs).
func (w *writer) deleteRange(b *bolt.Bucket, prefix, seek []byte, slot bool) (int, error) {
	var keys, cids [][]byte
	err := scan(b, prefix, seek, func(k, v []byte) (bool, error) {
		c := v
		if slot {
			var err error
			if c, err = slotCID(v); err != nil {
				return false, err
			}
		}
		keys, cids = append(keys, bytes.Clone(k)), append(cids, bytes.Clone(c))
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	for i, k := range keys {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
		if err := w.blocks.Delete(cids[i]); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}
