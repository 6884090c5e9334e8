package replicate

import (
	"bytes"
	"fmt"
	"slices"
)

// items resolves every bucket the peer sent in full: both sides' elements
// of the bucket are then known here, so this side decides alone what it
// must send, and answers with its own items when the peer lacks them.
func (r *Reconciler) items(in []items, out *message) error {
	order := []prefix{}
	theirs := map[[2]uint64][]fp{}
	for _, it := range in {
		p, err := parsePrefix(it.P)
		if err != nil {
			return err
		}
		if _, ok := theirs[p.id()]; !ok {
			order = append(order, p)
		}
		theirs[p.id()] = append(theirs[p.id()], it.F...)
	}
	for _, p := range order {
		if r.resolved[p.id()] {
			return fmt.Errorf("%w: bucket %x sent twice", ErrMalformed, p.nibbles())
		}
		r.resolved[p.id()] = true
		if err := r.resolve(p, theirs[p.id()], out); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reconciler) resolve(p prefix, theirs []fp, out *message) error {
	byKey := make(map[uint64]fp, len(theirs))
	for _, f := range theirs {
		if !p.under(f.K) || f.S == 0 || len(f.D) != hashSize || (len(f.F) != 0 && len(f.F) != 8) {
			return fmt.Errorf("%w: fingerprint %016x in bucket %x", ErrMalformed, f.K, p.nibbles())
		}
		if _, dup := byKey[f.K]; dup {
			return fmt.Errorf("%w: author key %016x listed twice", ErrMalformed, f.K)
		}
		byKey[f.K] = f
	}
	mine := r.local.bucket(p)
	if !r.sent[p.id()] && len(theirs) > 0 {
		r.sendItems(p, mine, out)
	}
	for _, e := range mine {
		t, ok := byKey[e.key]
		if !ok {
			r.pushAll([]elem{e})
			continue
		}
		r.diff(e, t, out)
	}
	return nil
}

// diff compares one author's element with the peer's fingerprint.
func (r *Reconciler) diff(e elem, t fp, out *message) {
	v := e.ver
	switch {
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

// forkSets sends the peer every fork entry of an author that its set lacks.
func (r *Reconciler) forkSets(in []forkSet) error {
	theirs := map[uint64]map[string]bool{}
	for _, fs := range in {
		if theirs[fs.K] == nil {
			theirs[fs.K] = map[string]bool{}
		}
		for _, c := range fs.C {
			theirs[fs.K][string(c)] = true
		}
	}
	for k, set := range theirs {
		e, ok := r.byKey[k]
		if !ok {
			continue
		}
		for _, c := range e.ver.Forks {
			if !set[string(c.Bytes())] {
				r.forks[c] = true
			}
		}
	}
	return nil
}

// knownFork reports whether a head fork is already recorded on both
// sides: this side has a fork at its head seq and both hold the same fork
// entries, so the peer's head is among this side's and the other way round.
func (e elem) knownFork(t fp) bool {
	return e.forkSum != nil && bytes.Equal(e.forkSum, t.F) && slices.Contains(e.ver.ForkAt, e.ver.Seq)
}
