package govern

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"

	"github.com/mesocosm/mycel/settle"
)

// panicTB stands in for a test while universes are signed once.
type panicTB struct{ testing.TB }

func (panicTB) Helper()                   {}
func (panicTB) Fatal(args ...any)         { panic(fmt.Sprint(args...)) }
func (panicTB) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }

// universes are pre-signed worlds (signing is the slow part); rapid draws
// subsets, orders, duplicates, partitions, flags and pins of them.
var universes = sync.OnceValue(func() []world {
	var out []world
	for seed := range 8 {
		out = append(out, universe(seed))
	}
	return out
})

type world struct {
	recs    []*settle.Record
	peers   []peer.ID
	geneses []*settle.Record // district entries, to pin
}

// universe signs two districts: meso with two rival district entries,
// other with one, two of the three of two blocks each; seven peers, four
// of them meso's first stewards; twenty proposals of every change by
// anyone, at times that often coincide; up to four votes of each peer on
// each, mostly yes, some on a second block of the proposal; and votes on
// links that name no proposal.
func universe(seed int) world {
	rng := rand.New(rand.NewPCG(uint64(seed), 14))
	tb := panicTB{}
	rnd := rand.NewChaCha8([32]byte{byte(seed), 14})
	ps := make([]*author, 7)
	var ids []peer.ID
	for i := range ps {
		ps[i] = newAuthor(tb, byte(10*seed+i+1))
		ids = append(ids, ps[i].id)
	}
	var recs, gens []*settle.Record
	gens = append(gens,
		ps[0].genesis(tb, meso, ps[:4], ps[4:5], map[string]uint64{"credit": 10}),
		ps[5].genesis(tb, meso, ps[3:6], nil, nil),
		ps[6].genesis(tb, "other", ps[4:7], ps[:1], nil))
	recs = append(recs, gens...)
	recs = append(recs, ps[0].resign(tb, gens[0], rnd), ps[6].resign(tb, gens[2], rnd))
	refs := []string{"MIP-AGR@1", "MIP-AGR@2", "MIP-HLT@1"}
	var props []*settle.Record
	for range 20 {
		a := ps[rng.IntN(len(ps))]
		if rng.IntN(2) == 0 {
			a = ps[rng.IntN(4)] // a first steward of meso, half the time
		}
		var p *Proposal
		switch rng.IntN(7) {
		case 0:
			p = mipChange(Activate, refs[rng.IntN(3)])
		case 1:
			p = mipChange(Retire, refs[rng.IntN(3)])
		case 2:
			p = peerChange(AddSteward, ps[rng.IntN(len(ps))])
		case 3:
			p = peerChange(RemoveSteward, ps[rng.IntN(len(ps))])
		case 4:
			p = peerChange(AddVerifier, ps[rng.IntN(len(ps))])
		case 5:
			p = peerChange(RemoveVerifier, ps[rng.IntN(len(ps))])
		default:
			p = &Proposal{Change: Limit, Unit: []string{"credit", "kWh"}[rng.IntN(2)], Amount: uint64(rng.IntN(50))}
		}
		a.at = int64(2000 + 100*rng.IntN(6))
		d := meso
		if rng.IntN(4) == 0 {
			d = "other"
		}
		r := a.propose(tb, d, p)
		a.at = 0
		props = append(props, r)
		recs = append(recs, r)
		if rng.IntN(5) == 0 {
			again := a.resign(tb, r, rnd)
			props = append(props, again)
			recs = append(recs, again)
		}
	}
	for _, p := range props {
		for _, a := range ps {
			for range max(0, rng.IntN(5)-1) + min(1, rng.IntN(7)) { // mostly one to three
				recs = append(recs, a.vote(tb, p, rng.IntN(6) > 0))
			}
		}
	}
	recs = append(recs, ps[1].vote(tb, gens[0], true)) // names no proposal
	return world{recs: recs, peers: ids, geneses: gens}
}

// draw picks a universe, a subset of it in a random order with some
// records given twice, flags and pins.
func draw(t *rapid.T) (world, []*settle.Record, settle.Pins, settle.Flags) {
	w := rapid.SampledFrom(universes()).Draw(t, "universe")
	keep := rapid.SliceOfN(rapid.IntRange(0, 3), len(w.recs), len(w.recs)).Draw(t, "keep")
	var sub []*settle.Record
	for i, r := range w.recs {
		if i < len(w.geneses) && keep[i] == 0 && rapid.Bool().Draw(t, "keep genesis") {
			keep[i] = 1
		}
		for range keep[i] {
			sub = append(sub, r)
		}
	}
	flags := settle.Flags{}
	for _, p := range w.peers {
		if rapid.IntRange(0, 5).Draw(t, "flag") == 0 {
			flags[p] = true
		}
	}
	pins := settle.Pins{}
	if rapid.Bool().Draw(t, "pin") {
		pins[meso] = w.geneses[rapid.IntRange(0, 1).Draw(t, "pinned")].CID
	}
	return w, rapid.Permutation(sub).Draw(t, "order"), pins, flags
}

// snapshot is everything the view shows, for comparison.
type snapshot struct {
	Districts []string
	Rules     []Rules
}

func snap(v *View) snapshot {
	s := snapshot{Districts: v.Districts()}
	for _, d := range s.Districts {
		r, _ := v.Rules(d)
		s.Rules = append(s.Rules, r)
	}
	return s
}

func deepEqual(a, b any) bool { return reflect.DeepEqual(a, b) }

// TestLawViewIgnoresOrder: the fold, read at random points on the way,
// equals Compute over another order and the merge of a random partition;
// every block of a proposal gives its status.
func TestLawViewIgnoresOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		_, recs, pins, flags := draw(t)
		fold := New(pins, flags)
		reads := rapid.SliceOfN(rapid.IntRange(0, 9), len(recs), len(recs)).Draw(t, "reads")
		for i, r := range recs {
			fold.Add(r)
			if reads[i] == 0 {
				snap(fold) // judge now, so that later adds must drop what they judged
			}
		}
		full := Compute(rapid.Permutation(recs).Draw(t, "again"), pins, flags)
		sf, sc, sp := snap(fold), snap(full), snap(partitioned(t, recs, pins, flags))
		if !reflect.DeepEqual(sf, sc) {
			t.Fatalf("fold and Compute differ:\nfold    %+v\ncompute %+v", sf, sc)
		}
		if !reflect.DeepEqual(sc, sp) {
			t.Fatalf("Compute and merged partitions differ")
		}
		laws(t, full, recs, flags)
	})
}

// partitioned folds recs into k views and merges them in a random order.
func partitioned(t *rapid.T, recs []*settle.Record, pins settle.Pins, flags settle.Flags) *View {
	k := rapid.IntRange(1, 4).Draw(t, "replicas")
	parts := make([]*View, k)
	for i := range parts {
		parts[i] = New(pins, flags)
	}
	where := rapid.SliceOfN(rapid.IntRange(0, k-1), len(recs), len(recs)).Draw(t, "parts")
	for i, r := range recs {
		parts[where[i]].Add(r)
	}
	order := rapid.Permutation(parts).Draw(t, "merge order")
	for _, p := range order[1:] {
		order[0].Merge(p)
	}
	return order[0]
}

// laws checks each judgement against the rule, replaying the changes of
// the ratified proposals in the order listed.
func laws(t *rapid.T, v *View, recs []*settle.Record, flags settle.Flags) {
	for _, d := range v.Districts() {
		r, _ := v.Rules(d)
		g := recordOf(recs, r.Genesis).Body.(*settle.District)
		stewards, verifiers := set(g.Stewards), set(g.Verifiers)
		limits, mips := map[string]uint64{}, map[string]bool{}
		retired, unseated := map[string]bool{}, map[string]map[peer.ID]bool{AddSteward: {}, AddVerifier: {}}
		for u, n := range g.Limits {
			limits[u] = n
		}
		for i, st := range r.Proposals {
			if i > 0 && canonicalStatus(r.Proposals[i-1], st) >= 0 {
				t.Fatalf("proposals out of canonical order")
			}
			if got, ok := v.Status(st.CID); !ok || !reflect.DeepEqual(got, st) {
				t.Fatalf("Status(%s) differs from the district's list", st.CID)
			}
			n := len(sortedPeers(stewards, flags))
			if st.Stewards != n || st.Threshold != 2*n/3+1 {
				t.Fatalf("proposal %s: %d stewards, threshold %d; replay says %d", st.CID, st.Stewards, st.Threshold, n)
			}
			for _, p := range append(append([]peer.ID{}, st.Yes...), st.No...) {
				if !stewards[p] || flags[p] {
					t.Fatalf("proposal %s: a vote of %s, not a steward in force, counted", st.CID, p)
				}
			}
			latest := latestVotes(recs, st)
			for p, yes := range latest {
				if stewards[p] && !flags[p] && contains(st.Yes, p) != yes {
					t.Fatalf("proposal %s: %s's latest vote is yes=%v, counted otherwise", st.CID, p, yes)
				}
			}
			ok := stewards[st.Author] && !flags[st.Author] && 3*len(st.Yes) > 2*n &&
				!(st.Proposal.Change == RemoveSteward && n == 1 && stewards[st.Proposal.Who()] && !flags[st.Proposal.Who()])
			if st.Ratified != ok || (st.Why == "") != ok {
				t.Fatalf("proposal %s: ratified %v (%s), the rule says %v", st.CID, st.Ratified, st.Why, ok)
			}
			if ok {
				apply(st.Proposal, stewards, verifiers, limits, mips, retired, unseated)
			}
		}
		if !reflect.DeepEqual(r.Stewards, sortedPeers(stewards, flags)) || !reflect.DeepEqual(r.Verifiers, sortedPeers(verifiers, flags)) ||
			!reflect.DeepEqual(r.Limits, limits) || len(r.MIPs) != len(mips) || len(r.Retired) != len(retired) {
			t.Fatalf("district %s: rules in force differ from the replay", d)
		}
		for _, m := range r.MIPs {
			if !mips[m] || !v.Active(d, m) {
				t.Fatalf("district %s: %s active differs from the replay", d, m)
			}
		}
	}
}

func canonicalStatus(a, b Status) int {
	switch {
	case a.Time != b.Time:
		return cmp.Compare(a.Time, b.Time)
	case a.Author != b.Author:
		return byBytes(a.Author, b.Author)
	case a.ID.Seq != b.ID.Seq:
		return cmp.Compare(a.ID.Seq, b.ID.Seq)
	}
	return bytes.Compare(a.ID.Digest[:], b.ID.Digest[:])
}

// recordOf returns the record with CID c among recs.
func recordOf(recs []*settle.Record, c cid.Cid) *settle.Record {
	for _, r := range recs {
		if r.CID == c {
			return r
		}
	}
	panic("no record " + c.String())
}

// latestVotes returns each author's vote with the highest (seq, digest)
// among the votes in recs linking any block of st's proposal.
func latestVotes(recs []*settle.Record, st Status) map[peer.ID]bool {
	blocks := map[cid.Cid]bool{}
	for _, r := range recs {
		if r.ID == st.ID {
			blocks[r.CID] = true
		}
	}
	best := map[peer.ID]*settle.Record{}
	for _, r := range recs {
		v, ok := r.Body.(*Vote)
		if !ok || !blocks[v.Proposal.Cid] {
			continue
		}
		if b := best[r.Author()]; b == nil || r.ID.Seq > b.ID.Seq || (r.ID.Seq == b.ID.Seq && bytes.Compare(r.ID.Digest[:], b.ID.Digest[:]) > 0) {
			best[r.Author()] = r
		}
	}
	out := map[peer.ID]bool{}
	for p, r := range best {
		out[p] = r.Body.(*Vote).Yes
	}
	return out
}

func contains(ps []peer.ID, p peer.ID) bool { return slices.Contains(ps, p) }

// TestLawSetFlags: a view folded under some flags and read, then given
// other flags at random points (SetFlags), equals Compute under the last
// flags: the districts SetFlags leaves unjudged are those no changed flag
// can touch, and the view's Ruling is Compute's.
func TestLawSetFlags(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w, recs, pins, flags := draw(t)
		v := New(pins, settle.Flags{})
		last := settle.Flags{}
		for i, r := range recs {
			v.Add(r)
			if rapid.IntRange(0, 4).Draw(t, fmt.Sprint("reflag ", i)) == 0 {
				snap(v)
				last = settle.Flags{}
				for _, p := range w.peers {
					if flags[p] && rapid.Bool().Draw(t, "keep flag") {
						last[p] = true
					}
				}
				v.SetFlags(last)
			}
		}
		snap(v)
		v.SetFlags(flags)
		full := Compute(recs, pins, flags)
		if sv, sf := snap(v), snap(full); !reflect.DeepEqual(sv, sf) {
			t.Fatalf("after SetFlags:\nview    %+v\ncompute %+v", sv, sf)
		}
		if !v.Ruling().Equal(full.Ruling()) {
			t.Fatal("rulings differ")
		}
	})
}
