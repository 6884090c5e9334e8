package settle

import (
	"bytes"
	"maps"
	"slices"
)

// maxGap bounds how far past its dense part a log grows a slice for one
// entry; entries further out (a gap, or a forged huge seq) wait in a map.
const maxGap = 1 << 16

// log is one author's entries by seq. The first entry at each seq (by
// digest) sits in dense or far; at a forked seq the others wait in more.
// Slices in more are replaced, never written in place, so clones share
// them.
type log struct {
	dense []*Record            // seq 1..len(dense); nil where none is held
	far   map[uint64]*Record   // seqs past dense
	more  map[uint64][]*Record // forked seqs: the entries after the first, by digest
	head  uint64               // 1..head all held
	buf   []*Record            // Joined of the last insert
}

// first returns the first entry at seq, or nil.
func (l *log) first(seq uint64) *Record {
	switch {
	case seq == 0:
		return nil
	case seq <= uint64(len(l.dense)):
		return l.dense[seq-1]
	}
	return l.far[seq]
}

// at returns every entry at seq, by digest.
func (l *log) at(seq uint64) []*Record {
	if r := l.first(seq); r != nil {
		return append([]*Record{r}, l.more[seq]...)
	}
	return nil
}

// forked reports whether some seq holds more than one entry.
func (l *log) forked() bool { return len(l.more) > 0 }

// put makes r the first entry at seq, growing dense when seq is near it.
func (l *log) put(seq uint64, r *Record) {
	n := uint64(len(l.dense))
	switch {
	case seq <= n:
		l.dense[seq-1] = r
		return
	case seq-n <= maxGap:
		l.dense = append(l.dense, make([]*Record, seq-n)...)
		for s, fr := range l.far {
			if s <= seq {
				l.dense[s-1] = fr
				delete(l.far, s)
			}
		}
		l.dense[seq-1] = r
		return
	}
	if l.far == nil {
		l.far = map[uint64]*Record{}
	}
	l.far[seq] = r
}

// store keeps recs, ordered by digest, as the entries at seq.
func (l *log) store(seq uint64, recs []*Record) {
	l.put(seq, recs[0])
	if len(recs) > 1 {
		if l.more == nil {
			l.more = map[uint64][]*Record{}
		}
		l.more[seq] = recs[1:]
	}
}

func (l *log) insert(r *Record) Insert {
	seq := r.ID.Seq
	recs := l.at(seq)
	if recs == nil {
		l.put(seq, r)
		return Insert{Change: Added, Joined: l.advance()}
	}
	i, found := slices.BinarySearchFunc(recs, r, func(a, b *Record) int {
		return bytes.Compare(a.ID.Digest[:], b.ID.Digest[:])
	})
	if found {
		if r.CID.KeyString() >= recs[i].CID.KeyString() {
			return Insert{Change: Known}
		}
		was := recs[i]
		recs[i] = r
		l.store(seq, recs)
		return Insert{Change: Replaced, Was: was}
	}
	l.store(seq, slices.Insert(recs, i, r))
	return Insert{Change: Forked}
}

// advance moves head over held seqs and returns the records that joined.
func (l *log) advance() []*Record {
	l.buf = l.buf[:0]
	for {
		r := l.first(l.head + 1)
		if r == nil {
			return l.buf
		}
		l.head++
		l.buf = append(l.buf, r)
	}
}

// each calls fn for every entry in seq order, then digest order.
func (l *log) each(fn func(*Record)) {
	visit := func(seq uint64, r *Record) {
		if r == nil {
			return
		}
		fn(r)
		for _, o := range l.more[seq] {
			fn(o)
		}
	}
	for i, r := range l.dense {
		visit(uint64(i+1), r)
	}
	for _, s := range slices.Sorted(maps.Keys(l.far)) {
		visit(s, l.far[s])
	}
}

func (l *log) clone() *log {
	return &log{dense: slices.Clone(l.dense), far: maps.Clone(l.far), more: maps.Clone(l.more), head: l.head}
}
