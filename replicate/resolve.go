package replicate

import (
	"bytes"
	"fmt"
	"slices"
)

// bucketIn is a bucket of the peer's items being received: one bucket
// may span several items of one turn, one after the other.
type bucketIn struct {
	p      prefix
	theirs map[uint64]fp
}

// items takes one part of a bucket the peer sent in full. A bucket is
// resolved once all its parts are in: both sides' elements of it are
// then known here, so this side decides alone what it must send.
func (r *Reconciler) items(it items, out *message) error {
	p, err := parsePrefix(it.P)
	if err != nil {
		return err
	}
	if b := r.bucket; b == nil || b.p != p {
		r.endBucket(out)
		if err := r.beginBucket(p); err != nil {
			return err
		}
	}
	return r.bucket.add(it.F)
}

// beginBucket accepts the peer's items for p once, and only for a
// bucket this side summarized or sent its items for.
func (r *Reconciler) beginBucket(p prefix) error {
	if r.resolved[p.id()] {
		return fmt.Errorf("%w: bucket %x sent twice", ErrMalformed, p.nibbles())
	}
	if !r.sent[p.id()] {
		if err := r.answer(p); err != nil {
			return err
		}
	}
	r.resolved[p.id()] = true
	r.bucket = &bucketIn{p: p, theirs: map[uint64]fp{}}
	return nil
}

func (b *bucketIn) add(fs []fp) error {
	if len(b.theirs)+len(fs) > itemsCap {
		return fmt.Errorf("%w: bucket %x of more than %d elements", ErrTooLarge, b.p.nibbles(), itemsCap)
	}
	for _, f := range fs {
		if !b.p.under(f.K) || f.S == 0 || len(f.D) != hashSize || (len(f.F) != 0 && len(f.F) != 8) {
			return fmt.Errorf("%w: fingerprint %016x in bucket %x", ErrMalformed, f.K, b.p.nibbles())
		}
		if _, dup := b.theirs[f.K]; dup {
			return fmt.Errorf("%w: author key %016x listed twice", ErrMalformed, f.K)
		}
		b.theirs[f.K] = f
	}
	return nil
}

// endBucket resolves the bucket being received, if any.
func (r *Reconciler) endBucket(out *message) {
	if b := r.bucket; b != nil {
		r.bucket = nil
		r.resolve(b.p, b.theirs, out)
	}
}

// resolve answers the peer's items for p with this side's items for the
// authors the peer listed, unless it sent its items already or the
// peer's are empty: the peer needs no more to decide what it sends.
func (r *Reconciler) resolve(p prefix, theirs map[uint64]fp, out *message) {
	mine := r.local.bucket(p)
	if !r.sent[p.id()] && len(theirs) > 0 {
		var both []elem
		for _, e := range mine {
			if _, ok := theirs[e.key]; ok {
				both = append(both, e)
			}
		}
		r.sendItems(p, both, out)
	}
	for _, e := range mine {
		t, ok := theirs[e.key]
		if !ok {
			r.pushAll([]elem{e})
			continue
		}
		r.diff(e, t, out)
	}
}

// diff compares one author's element with the peer's fingerprint.
func (r *Reconciler) diff(e elem, t fp, out *message) {
	v := e.ver
	switch {
	case e.branchesKnown(t):
		// Both hold the same entries of this forked author from its
		// first fork on, and the peer's head is past the fork: nothing
		// of the log is missing there.
	case v.Seq > t.S:
		r.push(Push{Author: v.Author, From: t.S + 1, Check: t.S, Want: t.D})
	case v.Seq == t.S && !bytes.Equal(v.Digest[:hashSize], t.D) && !e.knownFork(t):
		r.push(Push{Author: v.Author, From: v.Seq}) // a fork at the head
	}
	if bytes.Equal(e.forkSum, t.F) || len(v.Forks) == 0 {
		return
	}
	if len(t.F) == 0 {
		for _, c := range v.Forks {
			r.forks[c] = true
		}
		return
	}
	for i := 0; i < len(v.Forks); i += maxList {
		fs := forkSet{K: e.key}
		for _, c := range v.Forks[i:min(i+maxList, len(v.Forks))] {
			fs.C = append(fs.C, c.Bytes())
		}
		out.F = append(out.F, fs)
	}
}

// forkSetIn is the peer's fork set of one author being received: one
// set may span several fork sets of one turn, one after the other. Only
// this side's own fork CIDs are kept, marked when the peer lists them.
type forkSetIn struct {
	k      uint64
	listed map[string]bool
}

// forkSet takes one part of the peer's fork set of an author this side
// sent a fingerprint of, once per author.
func (r *Reconciler) forkSet(fs forkSet) error {
	if in := r.forkIn; in == nil || in.k != fs.K {
		r.endForkSet()
		if !r.keys[fs.K] || r.forked[fs.K] {
			return fmt.Errorf("%w: fork set of author key %016x, which was not asked or was sent", ErrMalformed, fs.K)
		}
		r.forked[fs.K] = true
		in := &forkSetIn{k: fs.K, listed: map[string]bool{}}
		for _, c := range r.byKey[fs.K].ver.Forks {
			in.listed[string(c.Bytes())] = false
		}
		r.forkIn = in
	}
	for _, c := range fs.C {
		if _, ok := r.forkIn.listed[string(c)]; ok {
			r.forkIn.listed[string(c)] = true
		}
	}
	return nil
}

// endForkSet plans every fork entry of the author that the peer's set
// lacks.
func (r *Reconciler) endForkSet() {
	in := r.forkIn
	if in == nil {
		return
	}
	r.forkIn = nil
	for _, c := range r.byKey[in.k].ver.Forks {
		if !in.listed[string(c.Bytes())] {
			r.forks[c] = true
		}
	}
}

// knownFork reports whether a head fork is already recorded on both
// sides: this side has a fork at its head seq and both hold the same fork
// entries, so the peer's head is among this side's and the other way round.
func (e elem) knownFork(t fp) bool {
	return e.forkSum != nil && bytes.Equal(e.forkSum, t.F) && slices.Contains(e.ver.ForkAt, e.ver.Seq)
}

// branchesKnown reports whether the peer holds every entry of this forked
// author that a log push would send: equal non-empty fork sums mean both
// hold the same entries from the first forked seq on (the fork set holds
// them all, see branchSet), and the peer's head is at most one before it.
func (e elem) branchesKnown(t fp) bool {
	if e.forkSum == nil || !bytes.Equal(e.forkSum, t.F) || len(e.ver.ForkAt) == 0 {
		return false
	}
	return t.S+1 >= slices.Min(e.ver.ForkAt)
}
