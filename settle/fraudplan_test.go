package settle

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"

	"github.com/mesocosm/mycel/protocol"
)

// authorsOf lists the distinct authors of recs, in byte order.
func authorsOf(recs []*Record) []peer.ID {
	var out []peer.ID
	for _, r := range recs {
		out = append(out, r.Author())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// followed draws the authors a reporter follows among as, in a random
// order with repeats.
func followed(t *rapid.T, as []peer.ID) []peer.ID {
	if len(as) == 0 {
		return nil
	}
	return rapid.SliceOfN(rapid.SampledFrom(as), 0, 2*len(as)).Draw(t, "followed")
}

// convictedAsAdded notes recs one by one, as a holder that sees each
// entry arrive does.
func convictedAsAdded(recs []*Record) Convicted {
	c := Convicted{}
	for _, r := range recs {
		c.Note(r)
	}
	return c
}

// The fraud plan is a function of the entries held and the authors
// followed: neither the order the entries arrived in (or the replicas
// they were merged from), nor the order the authors are given in, nor
// whether convictions were noted as entries came or computed at once
// changes it.
func TestLawFraudPlanIgnoresOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		as := authorsOf(recs)
		reporter := rapid.SampledFrom(slices.Concat(as, []peer.ID{""})).Draw(t, "reporter")
		follow := followed(t, as)
		want := PlanFrauds(reporter, setOf(recs...), follow, convictedAsAdded(recs))
		again := rapid.Permutation(recs).Draw(t, "again")
		s := partitioned(t, again)
		got := PlanFrauds(reporter, s, rapid.Permutation(follow).Draw(t, "follow order"), ConvictedIn(s))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("plans differ:\nfirst %v\nagain %v", accusedOf(want), accusedOf(got))
		}
	})
}

// Once the planned fraud entries are held, planning again yields none:
// each convicts its accused, so no author is accused twice, whoever
// planned the first.
func TestLawFraudPlanIdempotent(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		recs := draw(rt)
		follow := followed(rt, authorsOf(recs))
		s, conv := setOf(recs...), convictedAsAdded(recs)
		rep := newAuthor(t, 250)
		plan := PlanFrauds(rep.id, s, follow, conv)
		for _, d := range plan {
			r := rep.next(t, protocol.KindFraud, d.District, d.Fraud)
			s.Insert(r)
			conv.Note(r)
		}
		if again := PlanFrauds(rep.id, s, follow, conv); len(again) != 0 {
			rt.Fatalf("planned again after %v were held: %v", accusedOf(plan), accusedOf(again))
		}
		if other := PlanFrauds(newAuthor(t, 251).id, s, follow, ConvictedIn(s)); len(other) != 0 {
			rt.Fatalf("another reporter plans %v after %v were held", accusedOf(other), accusedOf(plan))
		}
	})
}

// A fraud entry is planned for a followed author exactly when it is
// forked in the set, is not the reporter and is not yet convicted; its
// body is a pair the set holds at one seq of that author, proves the
// fork on its own, and is the same bytes whoever reports it.
func TestLawFraudPlanOnlyForked(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		as := authorsOf(recs)
		reporter := rapid.SampledFrom(slices.Concat(as, []peer.ID{""})).Draw(t, "reporter")
		follow := followed(t, as)
		s, conv := setOf(recs...), ConvictedIn(setOf(recs...))
		plan := PlanFrauds(reporter, s, follow, conv)
		planned := map[peer.ID]*Fraud{}
		for _, d := range plan {
			planned[d.Accused] = d.Fraud
			checkDue(t, s, d)
		}
		forked := s.Forked()
		for _, a := range follow {
			want := a != reporter && !conv[a] && slices.Contains(forked, a)
			if _, got := planned[a]; got != want {
				t.Fatalf("author %s: planned %v, want %v (forked %v, convicted %v, reporter %v)",
					a, got, want, slices.Contains(forked, a), conv[a], a == reporter)
			}
		}
		if len(planned) != len(plan) {
			t.Fatalf("%d entries for %d authors", len(plan), len(planned))
		}
		for _, d := range PlanFrauds("", s, follow, conv) {
			if f, ok := planned[d.Accused]; ok && !reflect.DeepEqual(f, d.Fraud) {
				t.Fatalf("two reporters write different bodies against %s", d.Accused)
			}
		}
	})
}

// checkDue checks d against the set: its body convicts its accused with
// two entries held at one seq, in canonical order, in the district of one
// of them.
func checkDue(t *rapid.T, s *Set, d FraudDue) {
	a, err := VerifyFraud(d.Fraud)
	if err != nil || a != d.Accused {
		t.Fatalf("body against %s verifies as %s, %v", d.Accused, a, err)
	}
	first, _ := protocol.Open(d.Fraud.First)
	held := s.At(a, first.Entry.Seq)
	in := func(data []byte) *Record {
		for _, r := range held {
			if bytes.Equal(r.Data, data) {
				return r
			}
		}
		return nil
	}
	x, y := in(d.Fraud.First), in(d.Fraud.Second)
	switch {
	case x == nil || y == nil:
		t.Fatalf("body against %s holds an entry the set does not", a)
	case y.CID.KeyString() < x.CID.KeyString():
		t.Fatalf("body against %s not in canonical order", a)
	case d.District != x.Entry.District && d.District != y.Entry.District:
		t.Fatalf("district %q is neither entry's", d.District)
	}
}

func accusedOf(plan []FraudDue) []peer.ID {
	var out []peer.ID
	for _, d := range plan {
		out = append(out, d.Accused)
	}
	return out
}

// The rules one by one: the first fork of an author given twice is
// planned once; the reporter's own fork, an author already convicted, an
// author not forked and a pair too large for one entry are not.
func TestPlanFraudsRules(t *testing.T) {
	forker, self, convicted, honest, big, witness := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4), newAuthor(t, 5), newAuthor(t, 6)
	note := func(a *author, seq uint64, prev cid.Cid, district, text string) *Record {
		return a.at(t, seq, prev, "note", district, map[string]any{"text": text})
	}
	one := note(forker, 1, cid.Undef, "meso", "one")
	recs := []*Record{
		one, note(forker, 1, cid.Undef, "meso", "other one"),
		note(forker, 2, one.CID, "far", "two"), note(forker, 2, one.CID, "far", "other two"),
		note(self, 1, cid.Undef, "meso", "mine"), note(self, 1, cid.Undef, "meso", "also mine"),
		note(honest, 1, cid.Undef, "meso", "only"),
		note(big, 1, cid.Undef, "meso", string(bytes.Repeat([]byte("a"), 40<<10))),
		note(big, 1, cid.Undef, "meso", string(bytes.Repeat([]byte("b"), 40<<10))),
	}
	cx, cy := note(convicted, 1, cid.Undef, "meso", "x"), note(convicted, 1, cid.Undef, "meso", "y")
	recs = append(recs, cx, cy, witness.next(t, protocol.KindFraud, "meso", NewFraud(cx.Block, cy.Block)))
	s := setOf(recs...)

	ids := []peer.ID{big.id, honest.id, forker.id, convicted.id, self.id, forker.id, witness.id}
	plan := PlanFrauds(self.id, s, ids, ConvictedIn(s))
	if len(plan) != 1 || plan[0].Accused != forker.id {
		t.Fatalf("planned %v, want only the forker", accusedOf(plan))
	}
	first, err := protocol.Open(plan[0].Fraud.First)
	if err != nil || first.Entry.Seq != 1 || plan[0].District != "meso" {
		t.Fatalf("planned a pair at seq %d in %q (%v), want the first fork (seq 1, meso)", first.Entry.Seq, plan[0].District, err)
	}
	if got := PlanFrauds(self.id, s, ids, nil); len(got) != 2 {
		t.Fatalf("with no conviction known: planned %v, want the forker and the convicted", accusedOf(got))
	}
	if got := PlanFrauds(self.id, s, nil, nil); got != nil {
		t.Fatalf("no author followed: planned %v", accusedOf(got))
	}
}
