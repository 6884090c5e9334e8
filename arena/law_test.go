package arena

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"

	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

type panicTB = entrytest.PanicTB

// universes are pre-signed worlds; rapid draws subsets, orders,
// duplicates and partitions of them.
var universes = entrytest.Universes(8, universe)

type world struct {
	recs    []*settle.Record
	posters []peer.ID
	signers []*author // of posters, as they stood at the end of the universe
	ats     []At
}

// universe signs a small arena: two posters, three solvers, a steward of
// "meso" and a stranger; problems in two districts with and without a
// bounty and a deadline; solutions, some by the poster, some given a
// second block; accepts by the poster (one or two, shares over the
// bounty now and then, shares naming another problem's solution), by the
// steward before and after the deadline and by the stranger; and
// receipts paying part of what is due, plus stray ones linking a problem.
func universe(seed int) world {
	rng := rand.New(rand.NewPCG(uint64(seed), 14))
	tb := panicTB{}
	rnd := rand.NewChaCha8([32]byte{byte(seed)})
	posters := []*author{newAuthor(tb, byte(20*seed+1)), newAuthor(tb, byte(20*seed+2))}
	solvers := []*author{newAuthor(tb, byte(20*seed+3)), newAuthor(tb, byte(20*seed+4)), newAuthor(tb, byte(20*seed+5))}
	stew, stranger := newAuthor(tb, byte(20*seed+6)), newAuthor(tb, byte(20*seed+7))
	var recs, sols []*settle.Record
	resign := func(a *author, r *settle.Record) {
		if rng.IntN(5) == 0 {
			recs = append(recs, a.Resign(tb, kinds, r, rnd))
		}
	}
	for range 5 {
		poster := posters[rng.IntN(2)]
		deadline := []int64{0, 2000, 4000}[rng.IntN(3)]
		p := poster.problem(tb, []string{"meso", "meso", "other"}[rng.IntN(3)], uint64(rng.IntN(3)*5), deadline)
		recs = append(recs, p)
		resign(poster, p)
		var mine []*settle.Record
		for _, s := range append(solvers, poster) {
			if rng.IntN(3) == 0 {
				continue
			}
			sol := s.solve(tb, p, "s")
			recs, mine = append(recs, sol), append(mine, sol)
			resign(s, sol)
		}
		sols = append(sols, mine...)
		pick := func() []Share {
			var out []Share
			for _, sol := range append(mine, sols[rng.IntN(len(sols)+1)%max(1, len(sols))]) {
				if rng.IntN(2) == 0 && len(sols) > 0 {
					out = append(out, share(sol, uint64(rng.IntN(8))))
				}
			}
			if len(out) == 0 && len(sols) > 0 {
				out = append(out, share(sols[0], 3))
			}
			return out
		}
		if len(sols) == 0 {
			continue
		}
		for range rng.IntN(3) {
			if sh := dedupe(pick()); len(sh) > 0 {
				recs = append(recs, poster.accept(tb, p, int64(1500+rng.IntN(4000)), sh...))
			}
		}
		for _, a := range []*author{stew, stranger} {
			if rng.IntN(2) == 0 {
				if sh := dedupe(pick()); len(sh) > 0 {
					recs = append(recs, a.accept(tb, p, int64(1500+rng.IntN(4000)), sh...))
				}
			}
		}
	}
	ats := []At{{Now: 1000}, {Now: 3000}, {Now: 6000}}
	for _, now := range []int64{3000, 6000} {
		ats = append(ats, At{Now: now, Stewards: stewards(map[string][]peer.ID{"meso": {stew.ID}})})
	}
	full := viewOf(recs...)
	for _, poster := range posters {
		for _, p := range Due(full, poster.ID, ats[rng.IntN(len(ats))]) {
			if rng.IntN(2) == 0 {
				recs = append(recs, poster.pay(tb, p))
			}
		}
		if rng.IntN(3) == 0 {
			for _, st := range full.Problems(At{}) {
				if st.Poster == poster.ID && st.Problem.Bounty > 0 {
					recs = append(recs, poster.pay(tb, Payment{Solver: stranger.ID, Problem: st.CID, Solution: st.CID, Amount: 2, Unit: "credit"}))
					break
				}
			}
		}
	}
	return world{recs: recs, posters: []peer.ID{posters[0].ID, posters[1].ID}, signers: posters, ats: ats}
}

func dedupe(sh []Share) []Share {
	var out []Share
	for _, s := range sh {
		dup := false
		for _, o := range out {
			dup = dup || o.Solution.Equals(s.Solution.Cid)
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

func draw(t *rapid.T) (world, []*settle.Record) {
	return entrytest.Draw(t, universes(), func(w world) []*settle.Record { return w.recs })
}

// snapshot is everything the view shows, for comparison.
type snapshot struct {
	Problems [][]Status
	Feeds    [][]Status
	Agency   []Agency
	Due      [][]Payment
}

func snap(v *View, w world) snapshot {
	var s snapshot
	for _, at := range w.ats {
		s.Problems = append(s.Problems, v.Problems(at))
		s.Feeds = append(s.Feeds, v.Feed("meso", at), v.InDomain("MIP-AGR", at))
		for _, p := range w.posters {
			s.Agency = append(s.Agency, v.Agency(p, at, nil))
			s.Due = append(s.Due, Due(v, p, at))
		}
	}
	return s
}

// TestLawViewIgnoresOrder: the fold equals Compute over another order and
// the merge of a random partition.
func TestLawViewIgnoresOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w, recs := draw(t)
		fold := viewOf(recs...)
		full := Compute(rapid.Permutation(recs).Draw(t, "again"))
		sf, sc, sp := snap(fold, w), snap(full, w), snap(entrytest.Partitioned(t, recs, NewView), w)
		if !reflect.DeepEqual(sf, sc) {
			t.Fatalf("fold and Compute differ:\nfold    %+v\ncompute %+v", sf, sc)
		}
		if !reflect.DeepEqual(sc, sp) {
			t.Fatalf("Compute and merged partitions differ")
		}
	})
}

// TestLawDue: a poster owes only for solutions of its own solved
// problems that the deciding accept names — an accept by the poster, or
// by a steward past the deadline — never for a pair a receipt already
// links, never twice, and never beyond the bounty counting what its
// receipts linking the problem paid; once all is paid, nothing more is
// due.
func TestLawDue(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w, recs := draw(t)
		v := Compute(recs)
		at := rapid.SampledFrom(w.ats).Draw(t, "at")
		for i, poster := range w.posters {
			due := Due(v, poster, at)
			pairs := map[string]bool{}
			total := map[string]uint64{}
			for _, p := range due {
				st, ok := v.Status(p.Problem, at)
				switch {
				case !ok || st.Poster != poster || st.State != Solved:
					t.Fatalf("payment for a problem not solved or not the poster's: %+v", p)
				case !acceptable(recs, st, at):
					t.Fatalf("payment on an accept neither by the poster nor by a steward past the deadline: %+v", st.Accept)
				case !namedBy(recs, st, p):
					t.Fatalf("payment to a solution the deciding accept does not name: %+v", p)
				case p.Amount == 0 || p.Unit != st.Problem.Unit || p.Solver == poster:
					t.Fatalf("payment %+v on a problem of %d %s", p, st.Problem.Bounty, st.Problem.Unit)
				case pairs[p.Problem.KeyString()+p.Solution.KeyString()]:
					t.Fatalf("two payments for one (problem, solution): %+v", p)
				case paidIn(recs, poster, p):
					t.Fatalf("payment due for a pair a receipt already pays: %+v", p)
				}
				pairs[p.Problem.KeyString()+p.Solution.KeyString()] = true
				total[p.Problem.KeyString()] += p.Amount
				if spentOn(recs, poster, st)+total[p.Problem.KeyString()] > st.Problem.Bounty {
					t.Fatalf("payments take problem %s beyond its bounty %d", p.Problem, st.Problem.Bounty)
				}
			}
			payer := *w.signers[i] // a copy: its entries go past the universe's
			for _, p := range due {
				v.Add(payer.pay(panicTB{}, p))
			}
			if again := Due(v, poster, at); len(again) != 0 {
				t.Fatalf("after paying all that was due, %d more due", len(again))
			}
		}
	})
}

// acceptable reports, from the records alone, whether the deciding
// accept of st is one that may decide: the poster's, or a steward's
// dated at or past a deadline passed at at, with no accept of the poster.
func acceptable(recs []*settle.Record, st Status, at At) bool {
	if st.Accept.Author == st.Poster {
		return true
	}
	for _, r := range recs {
		if a, ok := r.Body.(*Accept); ok && r.Author() == st.Poster && st.CID.Equals(link(recs, a.Problem)) {
			return false
		}
	}
	for _, r := range recs {
		if r.ID.Author == st.Accept.Author && r.ID.Seq == st.Accept.Seq {
			return st.Problem.Passed(at.Now) && r.Entry.Time >= st.Problem.Deadline && at.steward(st.District, r.Author())
		}
	}
	return false
}

// link returns the smallest CID of the entry of the block l names.
func link(recs []*settle.Record, l protocol.Link) (c cid.Cid) {
	var id *protocol.ID
	for _, r := range recs {
		if r.CID.Equals(l.Cid) {
			id = &r.ID
		}
	}
	if id == nil {
		return c
	}
	for _, r := range recs {
		if r.ID == *id && (!c.Defined() || r.CID.KeyString() < c.KeyString()) {
			c = r.CID
		}
	}
	return c
}

// namedBy reports whether the deciding accept of st names p's solution
// (any block of it) among its shares.
func namedBy(recs []*settle.Record, st Status, p Payment) bool {
	for _, r := range recs {
		a, ok := r.Body.(*Accept)
		if !ok || r.ID.Author != st.Accept.Author || r.ID.Seq != st.Accept.Seq {
			continue
		}
		for _, sh := range a.Shares {
			if link(recs, sh.Solution).Equals(p.Solution) {
				return true
			}
		}
	}
	return false
}

// paidIn reports whether a receipt of poster in recs links p's problem
// and solution by these very blocks (the view also resolves other blocks).
func paidIn(recs []*settle.Record, poster peer.ID, p Payment) bool {
	for _, r := range recs {
		if rc, ok := r.Receipt(); ok && r.Author() == poster && rc.Pays(protocol.LinkTo(p.Problem)) && rc.Pays(protocol.LinkTo(p.Solution)) {
			return true
		}
	}
	return false
}

// spentOn sums, naively, poster's distinct receipts in the bounty's unit
// linking any block of st's problem.
func spentOn(recs []*settle.Record, poster peer.ID, st Status) uint64 {
	var sum uint64
	seen := map[protocol.ID]bool{}
	for _, r := range recs {
		rc, ok := r.Receipt()
		if !ok || r.Author() != poster || rc.Unit != st.Problem.Unit || seen[r.ID] {
			continue
		}
		for _, l := range rc.For {
			if link(recs, l).Equals(st.CID) {
				seen[r.ID] = true
				sum += rc.Amount
				break
			}
		}
	}
	return sum
}
