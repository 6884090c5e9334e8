package vault

import (
	"encoding/binary"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// Quota bounds what a vault keeps of entries that wait past a gap in their
// author's log: pending records, that is pending primaries and the fork
// records at their slots. Such entries may never join (a throwaway key, a
// prev that points nowhere, a seq of 2^62). Sync sends each log in order
// from the receiver's head, so a pending entry refused or dropped here
// comes back when its gap fills: nothing honest is lost, only an early
// copy. The zero value takes the defaults.
type Quota struct {
	// Ahead: an entry more than Ahead seqs past its author's head is
	// Refused with ErrAhead. Default 1,024.
	Ahead uint64
	// PerAuthor caps one author's pending records (ErrAuthorQuota).
	// Default 256.
	PerAuthor int
	// Total and Bytes cap the vault's pending records and their bytes.
	// Past either, Put evicts the authors whose pending records have waited
	// longest (not those of the current Put) down to 7/8 of the cap; when
	// that frees no room the block is Refused with ErrPendingFull.
	// Defaults 16,384 records and 64 MiB.
	Total int
	Bytes int64
	// TTL: Sweep drops an author's pending records once the oldest of them
	// has waited longer than TTL, and the author itself when it has no
	// joined entry. Default 24 hours.
	TTL time.Duration
}

// Quota defaults.
const (
	DefaultAhead      = 1024
	DefaultPerAuthor  = 256
	DefaultTotal      = 16384
	DefaultBytes      = 64 << 20
	DefaultPendingTTL = 24 * time.Hour
)

func (q Quota) withDefaults() Quota {
	if q.Ahead == 0 {
		q.Ahead = DefaultAhead
	}
	if q.PerAuthor == 0 {
		q.PerAuthor = DefaultPerAuthor
	}
	if q.Total == 0 {
		q.Total = DefaultTotal
	}
	if q.Bytes == 0 {
		q.Bytes = DefaultBytes
	}
	if q.TTL == 0 {
		q.TTL = DefaultPendingTTL
	}
	return q
}

// waitRec is an author's record in waiting: since when its oldest pending
// record waits (unix ms), how many it has and their bytes. The totals of
// the vault are in meta "pending" as count|bytes.
type waitRec struct {
	since        int64
	count, bytes uint64
}

var metaPending = []byte("pending")

func parseWait(v []byte) waitRec {
	if len(v) < 24 {
		return waitRec{}
	}
	return waitRec{int64(binary.BigEndian.Uint64(v)), binary.BigEndian.Uint64(v[8:]), binary.BigEndian.Uint64(v[16:])}
}

func (r waitRec) value() []byte {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 24), uint64(r.since))
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(v, r.count), r.bytes)
}

// add counts n records of size bytes in (n < 0: out).
func (r *waitRec) add(n int, size uint64, now int64) {
	if r.count == 0 {
		r.since = now
	}
	if n < 0 {
		r.count -= min(r.count, uint64(-n))
		r.bytes -= min(r.bytes, size)
		return
	}
	r.count += uint64(n)
	r.bytes += size
}

// waitOf returns s's waiting record, read once per transaction.
func (w *writer) waitOf(s *author) *waitRec {
	if !s.waitRead {
		s.wait, s.waitRead = parseWait(w.waiting.Get(s.num)), true
	}
	return &s.wait
}

// totals returns the vault's pending totals, read once per transaction.
func (w *writer) totals() *waitRec {
	if !w.totalRead {
		v := w.tx.Bucket(bMeta).Get(metaPending)
		if len(v) >= 16 {
			w.total = waitRec{count: binary.BigEndian.Uint64(v), bytes: binary.BigEndian.Uint64(v[8:])}
		}
		w.totalRead = true
	}
	return &w.total
}

// count adds n pending records of size bytes to s and the totals.
func (w *writer) count(s *author, n int, size uint64) {
	now := w.now().UnixMilli()
	w.waitOf(s).add(n, size, now)
	w.totals().add(n, size, now)
	s.waitDirty, w.totalDirty = true, true
}

// admit returns why the block e, which would become a pending record at
// slot sk (atPending: a fork at a pending primary), is refused, or nil.
func (w *writer) admit(s *author, e protocol.Entry, sk []byte, size int, atPending bool) error {
	switch {
	case e.Seq-s.head.Seq > w.q.Ahead:
		return ErrAhead
	case atPending && chains(e, s.head):
		return nil // it joins at once
	case atPending && hasPrefix(w.forks, sk):
		return ErrSlotFull
	case w.waitOf(s).count >= uint64(w.q.PerAuthor):
		return ErrAuthorQuota
	}
	if w.full(uint64(size), 1) {
		if err := w.evict(uint64(size)); err != nil {
			return err
		}
		if w.full(uint64(size), 1) {
			return ErrPendingFull
		}
	}
	return nil
}

// full reports whether one more record of size bytes exceeds frac of the
// caps (frac 1: the caps themselves; 7/8 for eviction's target).
func (w *writer) full(size uint64, frac float64) bool {
	t := w.totals()
	return float64(t.count+1) > frac*float64(w.q.Total) || float64(t.bytes+size) > frac*float64(w.q.Bytes)
}

// flushWaits writes the waiting records and totals that changed.
func (w *writer) flushWaits() error {
	for _, s := range w.authors {
		if !s.waitDirty {
			continue
		}
		var err error
		if s.wait.count == 0 {
			err = w.waiting.Delete(s.num)
		} else {
			err = w.waiting.Put(s.num, s.wait.value())
		}
		if err != nil {
			return err
		}
		s.waitDirty = false
	}
	if !w.totalDirty {
		return nil
	}
	w.totalDirty = false
	v := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, w.total.count), w.total.bytes)
	return w.tx.Bucket(bMeta).Put(metaPending, v)
}

// slotRecords counts the pending records at slot sk, whose primary record
// is pv: the primary and the fork records, with their bytes.
func (w *writer) slotRecords(sk, pv []byte) (int, uint64, error) {
	c, err := slotCID(pv)
	if err != nil {
		return 0, 0, err
	}
	n, size := 1, uint64(len(w.blocks.Get(c)))
	cur := w.forks.Cursor()
	for k, fv := cur.Seek(sk); k != nil && len(k) > len(sk) && string(k[:len(sk)]) == string(sk); k, fv = cur.Next() {
		n++
		size += uint64(len(w.blocks.Get(fv)))
	}
	return n, size, nil
}

// ensureWaiting returns the waiting bucket, creating it in a vault made
// before it existed and counting the pending records such a vault holds.
func ensureWaiting(tx *bolt.Tx, now int64) (*bolt.Bucket, error) {
	if b := tx.Bucket(bWaiting); b != nil {
		return b, nil
	}
	b, err := tx.CreateBucket(bWaiting)
	if err != nil {
		return nil, err
	}
	recs, total := map[string]*waitRec{}, waitRec{}
	blocks, pending := tx.Bucket(bBlocks), tx.Bucket(bPending)
	add := func(num, c []byte) {
		r := recs[string(num)]
		if r == nil {
			r = &waitRec{since: now}
			recs[string(num)] = r
		}
		size := uint64(len(blocks.Get(c)))
		r.add(1, size, now)
		total.add(1, size, now)
	}
	err = pending.ForEach(func(k, v []byte) error {
		c, err := slotCID(v)
		add(k[:numLen], c)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = tx.Bucket(bForks).ForEach(func(k, v []byte) error {
		if len(k) >= skeyLen && pending.Get(k[:skeyLen]) != nil {
			add(k[:numLen], v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for num, r := range recs {
		if err := b.Put([]byte(num), r.value()); err != nil {
			return nil, err
		}
	}
	v := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, total.count), total.bytes)
	return b, tx.Bucket(bMeta).Put(metaPending, v)
}

// Pending returns the number of pending records (pending primaries and
// the fork records at their slots) and their bytes.
func (v *Bolt) Pending() (n int, size int64, err error) {
	err = v.view(func(tx *bolt.Tx) error {
		val := tx.Bucket(bMeta).Get(metaPending)
		if len(val) >= 16 {
			n, size = int(binary.BigEndian.Uint64(val)), int64(binary.BigEndian.Uint64(val[8:]))
		}
		return nil
	})
	return n, size, err
}

// HasAuthor reports whether the vault holds any entry of author: joined,
// pending or fork.
func (v *Bolt) HasAuthor(author peer.ID) (bool, error) {
	var ok bool
	err := v.view(func(tx *bolt.Tx) error {
		num, err := lookup(tx, author)
		ok = num != nil
		return err
	})
	return ok, err
}
