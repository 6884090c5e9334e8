package settle

import (
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Set is the replicated state: a set of entries, kept per author in seq
// order. Entries are identified by protocol.ID (author, seq, payload
// digest); of two blocks with one ID (two signatures over one payload) the
// set keeps the one with the smaller CID, and remembers the CID of every
// block it was given, so that a link to any block of an entry names that
// entry (see Named). Views read identities, never which block was kept:
// the same identities give the same views. The zero value is not usable;
// call NewSet.
type Set struct {
	logs  byPeer[*log]
	names map[cid.Cid]protocol.ID   // every block inserted, kept or not
	multi map[protocol.ID][]cid.Cid // the names of entries given by more than one block
	n     int
}

// Change says what Insert did.
type Change int

const (
	Added    Change = iota // a new entry
	Known                  // an entry with the same ID and a CID no smaller is held
	Replaced               // same ID, smaller CID: the held block was swapped
	Forked                 // a second entry at a held (author, seq): an equivocation
	Resigned               // same ID, a new CID no smaller: the CID now names the entry too
)

// Insert reports what one Insert did: the change and, for Added, the
// entries that joined the author's contiguous log (seq 1..Head) because
// of it, in seq order (the inserted one first, when it joined).
type Insert struct {
	Change Change
	Joined []*Record
	Was    *Record // for Replaced: the record that was kept before
}

// NewSet returns an empty set.
func NewSet() *Set {
	return &Set{logs: byPeer[*log]{}, names: map[cid.Cid]protocol.ID{}, multi: map[protocol.ID][]cid.Cid{}}
}

// Insert adds r.
func (s *Set) Insert(r *Record) Insert {
	l, ok := s.logs.get(r.ID.Author)
	if !ok {
		l = &log{}
		s.logs.put(r.ID.Author, l)
	}
	ins := l.insert(r)
	if ins.Change == Added || ins.Change == Forked {
		s.n++
	}
	if _, named := s.names[r.CID]; !named {
		s.names[r.CID] = r.ID
		if ins.Change == Known {
			ins.Change = Resigned
		}
		if ins.Change == Resigned || ins.Change == Replaced {
			s.rename(r.ID, r.CID, ins.Was)
		}
	}
	return ins
}

// rename notes c as a further name of the entry id, held before by the
// block was (Replaced) or by the block s keeps (Resigned).
func (s *Set) rename(id protocol.ID, c cid.Cid, was *Record) {
	if len(s.multi[id]) == 0 {
		if was == nil {
			was, _ = s.kept(id)
		}
		if was != nil {
			s.multi[id] = append(s.multi[id], was.CID)
		}
	}
	s.multi[id] = append(s.multi[id], c)
}

// kept returns the record s keeps of id.
func (s *Set) kept(id protocol.ID) (*Record, bool) {
	for _, r := range s.At(id.Author, id.Seq) {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// Aliases maps every CID of an entry given by more than one block, except
// the kept one, to the CID of the block s keeps of it. It is small: only
// a signer that signs one payload twice makes such entries.
func (s *Set) Aliases() map[cid.Cid]cid.Cid {
	out := map[cid.Cid]cid.Cid{}
	for id, cs := range s.multi {
		r, ok := s.kept(id)
		if !ok {
			continue
		}
		for _, c := range cs {
			if !c.Equals(r.CID) {
				out[c] = r.CID
			}
		}
	}
	return out
}

// Named returns the entry held that a link to c names: the kept record of
// the identity of the block with CID c, if any block of that identity was
// inserted with that CID. Two blocks of one entry name the same record.
func (s *Set) Named(c cid.Cid) (*Record, bool) {
	id, ok := s.names[c]
	if !ok {
		return nil, false
	}
	return s.kept(id)
}

// keptCID returns the CID of the block s keeps of the entry a link to c
// names, or c itself when s holds no such entry.
func (s *Set) keptCID(c cid.Cid) cid.Cid {
	if r, ok := s.Named(c); ok {
		return r.CID
	}
	return c
}

// Merge adds every entry of o to s: set union, commutative, associative
// and idempotent in the content it leaves, names of blocks included.
func (s *Set) Merge(o *Set) {
	o.Each(func(r *Record) { s.Insert(r) })
	for c, id := range o.names {
		if _, ok := s.names[c]; !ok {
			s.names[c] = id
			s.rename(id, c, nil)
		}
	}
}

// Union returns a new set holding the entries of both.
func Union(a, b *Set) *Set {
	u := a.Clone()
	u.Merge(b)
	return u
}

// Clone returns a copy that shares the (immutable) records.
func (s *Set) Clone() *Set {
	c := NewSet()
	for a, l := range s.logs.all() {
		c.logs.put(a, l.clone())
	}
	c.names = maps.Clone(s.names)
	for id, cs := range s.multi {
		c.multi[id] = slices.Clone(cs)
	}
	c.n = s.n
	return c
}

// Len returns the number of entries.
func (s *Set) Len() int { return s.n }

// Authors lists the authors in byte order.
func (s *Set) Authors() []peer.ID {
	return slices.SortedFunc(keys(s.logs.all()), func(a, b peer.ID) int {
		return strings.Compare(string(a), string(b))
	})
}

// Each calls fn for every entry, in no particular order.
func (s *Set) Each(fn func(*Record)) {
	for _, l := range s.logs.all() {
		l.each(fn)
	}
}

// Records lists every entry in canonical order: author bytes, seq, digest.
func (s *Set) Records() []*Record {
	out := make([]*Record, 0, s.n)
	for _, a := range s.Authors() {
		s.log(a).each(func(r *Record) { out = append(out, r) })
	}
	return out
}

// Head returns the length of author's contiguous log: every seq from 1 to
// Head is held.
func (s *Set) Head(author peer.ID) uint64 {
	if l, ok := s.logs.get(author); ok {
		return l.head
	}
	return 0
}

// At returns the entries held at (author, seq): none, one, or several for
// a fork, ordered by digest.
func (s *Set) At(author peer.ID, seq uint64) []*Record {
	if l, ok := s.logs.get(author); ok {
		return l.at(seq)
	}
	return nil
}

// Forked lists the authors with two different entries at one seq, in
// byte order.
func (s *Set) Forked() []peer.ID {
	var out []peer.ID
	for _, a := range s.Authors() {
		if s.log(a).forked() {
			out = append(out, a)
		}
	}
	return out
}

// Forks returns the first equivocation pair of each forked author, in
// author order: the material of a fraud proof (see NewFraud).
func (s *Set) Forks() [][2]*Record {
	var out [][2]*Record
	for _, a := range s.Forked() {
		pair, _ := s.Fork(a)
		out = append(out, pair)
	}
	return out
}

// Fork returns author's first equivocation pair, as Forks does; ok is
// false if author has none. It costs the author's forked seqs.
func (s *Set) Fork(author peer.ID) (pair [2]*Record, ok bool) {
	l, held := s.logs.get(author)
	if !held || !l.forked() {
		return pair, false
	}
	seq := slices.Min(slices.Collect(maps.Keys(l.more)))
	return [2]*Record{l.first(seq), l.more[seq][0]}, true
}

// wrote reports whether some entry of author's satisfies fn; it costs
// the length of that author's log.
func (s *Set) wrote(author peer.ID, fn func(*Record) bool) bool {
	l, ok := s.logs.get(author)
	if !ok {
		return false
	}
	found := false
	l.each(func(r *Record) { found = found || fn(r) })
	return found
}

// log returns the log of a held author.
func (s *Set) log(author peer.ID) *log {
	l, _ := s.logs.get(author)
	return l
}

func keys[K, V any](seq iter.Seq2[K, V]) iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range seq {
			if !yield(k) {
				return
			}
		}
	}
}
