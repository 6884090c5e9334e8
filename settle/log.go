package settle

import (
	"bytes"
	"maps"
	"slices"
)

// maxGap bounds how far past its dense part a log grows a slice for one
// entry; entries further out (a gap, or a forged huge seq) wait in a map.
const maxGap = 1 << 16

// slot holds the entries at one seq: rec, and for a fork the others,
// all ordered by digest.
type slot struct {
	rec  *Record
	more []*Record
}

func (s *slot) all() []*Record { return append([]*Record{s.rec}, s.more...) }

// log is one author's entries by seq.
type log struct {
	dense []slot           // seq 1..len(dense); some may be empty
	far   map[uint64]*slot // seqs past dense
	head  uint64           // 1..head all held
	forks int              // seqs holding more than one entry
	buf   []*Record        // Joined of the last insert
}

func (l *log) get(seq uint64) *slot {
	if seq == 0 {
		return nil
	}
	if seq <= uint64(len(l.dense)) {
		if sl := &l.dense[seq-1]; sl.rec != nil {
			return sl
		}
		return nil
	}
	return l.far[seq]
}

// slotFor returns the slot for seq, making room for it.
func (l *log) slotFor(seq uint64) *slot {
	n := uint64(len(l.dense))
	switch {
	case seq <= n:
		return &l.dense[seq-1]
	case seq-n <= maxGap:
		l.dense = append(l.dense, make([]slot, seq-n)...)
		for s, sl := range l.far {
			if s <= seq {
				l.dense[s-1] = *sl
				delete(l.far, s)
			}
		}
		return &l.dense[seq-1]
	}
	if l.far == nil {
		l.far = map[uint64]*slot{}
	}
	sl := l.far[seq]
	if sl == nil {
		sl = &slot{}
		l.far[seq] = sl
	}
	return sl
}

func (l *log) insert(r *Record) Insert {
	sl := l.slotFor(r.ID.Seq)
	if sl.rec == nil {
		sl.rec = r
		return Insert{Change: Added, Joined: l.advance()}
	}
	recs := append([]*Record{sl.rec}, sl.more...)
	i, found := slices.BinarySearchFunc(recs, r, func(a, b *Record) int {
		return bytes.Compare(a.ID.Digest[:], b.ID.Digest[:])
	})
	if found {
		if r.CID.KeyString() >= recs[i].CID.KeyString() {
			return Insert{Change: Known}
		}
		recs[i] = r
		sl.rec, sl.more = recs[0], recs[1:]
		return Insert{Change: Replaced}
	}
	if len(sl.more) == 0 {
		l.forks++
	}
	recs = slices.Insert(recs, i, r)
	sl.rec, sl.more = recs[0], recs[1:]
	return Insert{Change: Forked}
}

// advance moves head over held seqs and returns the records that joined.
func (l *log) advance() []*Record {
	l.buf = l.buf[:0]
	for {
		sl := l.get(l.head + 1)
		if sl == nil {
			return l.buf
		}
		l.head++
		l.buf = append(l.buf, sl.rec)
	}
}

func (l *log) each(fn func(*Record)) {
	visit := func(sl *slot) {
		if sl.rec == nil {
			return
		}
		fn(sl.rec)
		for _, r := range sl.more {
			fn(r)
		}
	}
	for i := range l.dense {
		visit(&l.dense[i])
	}
	for _, s := range slices.Sorted(maps.Keys(l.far)) {
		visit(l.far[s])
	}
}

func (l *log) clone() *log {
	c := &log{dense: slices.Clone(l.dense), head: l.head, forks: l.forks}
	for i := range c.dense {
		c.dense[i].more = slices.Clone(c.dense[i].more)
	}
	if l.far != nil {
		c.far = make(map[uint64]*slot, len(l.far))
		for s, sl := range l.far {
			c.far[s] = &slot{rec: sl.rec, more: slices.Clone(sl.more)}
		}
	}
	return c
}
