package grid

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
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
var universes = entrytest.Universes(10, universe)

type world struct {
	recs    []*settle.Record
	reqs    []peer.ID
	signers []*author // of reqs, as they stood at the end of the universe
}

// universe signs a small grid: two requesters, three honest providers, a
// liar that flips its output half the time, one that answers twice
// (differently half the time), a stranger with no offer; offers that
// change price, unit, expire or are withdrawn between results; jobs of
// k = 1..5; some honest runs time out; the requester answers its own job
// now and then; some jobs and results get a second block; and receipts
// paying part of what is due, plus one paying a minority result.
func universe(seed int) world {
	rng := rand.New(rand.NewPCG(uint64(seed), 11))
	tb := panicTB{}
	rnd := rand.NewChaCha8([32]byte{byte(seed)})
	reqs := []*author{newAuthor(tb, byte(20*seed+1)), newAuthor(tb, byte(20*seed+2))}
	provs := make([]*author, 5)
	for i := range provs {
		provs[i] = newAuthor(tb, byte(20*seed+3+i))
	}
	liar, twicer, stranger := provs[3], provs[4], newAuthor(tb, byte(20*seed+9))
	var recs []*settle.Record
	offer := func(p *author) {
		o := offerAt(uint64(rng.IntN(8)), []string{"credit", "credit", "credit", "kWh"}[rng.IntN(4)])
		switch rng.IntN(6) {
		case 0:
			o = &Offer{Withdrawn: true}
		case 1:
			o.Expires = int64(1000 + rng.IntN(1000))
		}
		recs = append(recs, p.next(tb, KindOffer, o))
	}
	for _, p := range provs {
		if rng.IntN(5) > 0 {
			offer(p)
		}
	}
	resign := func(a *author, r *settle.Record) {
		if rng.IntN(6) == 0 {
			recs = append(recs, a.resign(tb, r, rnd))
		}
	}
	for j := range 5 {
		req := reqs[rng.IntN(2)]
		input := fmt.Sprintf("in-%d-%d", seed, j)
		job := req.job(tb, uint8(1+rng.IntN(5)), uint64(3+rng.IntN(6)), input)
		recs = append(recs, job)
		resign(req, job)
		for _, i := range rng.Perm(len(provs)) {
			p := provs[i]
			if rng.IntN(4) == 0 {
				offer(p)
			}
			if rng.IntN(5) == 0 {
				continue
			}
			var r *settle.Record
			switch {
			case p == liar && rng.IntN(2) == 0:
				r = p.result(tb, job, "lie:"+input)
			case p != liar && p != twicer && rng.IntN(8) == 0:
				r = p.fail(tb, job, ErrorTimeout)
			default:
				r = p.result(tb, job, "out:"+input)
			}
			recs = append(recs, r)
			resign(p, r)
			if p == twicer {
				recs = append(recs, p.result(tb, job, []string{"out:", "again:"}[rng.IntN(2)]+input))
			}
		}
		if rng.IntN(4) == 0 {
			recs = append(recs, req.result(tb, job, "lie:"+input))
		}
		if rng.IntN(4) == 0 {
			recs = append(recs, stranger.result(tb, job, "lie:"+input))
		}
	}
	full := viewOf(recs...)
	for _, req := range reqs {
		for _, p := range Due(full, req.ID) {
			if rng.IntN(2) == 0 {
				recs = append(recs, req.pay(tb, p))
			}
		}
		for _, st := range full.Jobs() {
			for _, a := range st.Answers {
				if st.Requester == req.ID && a.Counted && !a.Agrees && rng.IntN(2) == 0 {
					recs = append(recs, req.pay(tb, Payment{Provider: a.Provider, Job: st.CID, Result: a.CID, Amount: 1, Unit: "credit"}))
				}
			}
		}
	}
	return world{recs: recs, reqs: []peer.ID{reqs[0].ID, reqs[1].ID}, signers: reqs}
}

func draw(t *rapid.T) (world, []*settle.Record) {
	return entrytest.Draw(t, universes(), func(w world) []*settle.Record { return w.recs })
}

// snapshot is everything the view shows, for comparison.
type snapshot struct {
	Jobs   []Status
	Reps   []Rep
	Offers [][]Current
	Due    [][]Payment
}

func snap(v *View, w world) snapshot {
	s := snapshot{Jobs: v.Jobs(), Reps: v.Reputations()}
	for _, now := range []int64{0, 1500, 3000} {
		s.Offers = append(s.Offers, v.Offers(now))
	}
	for _, r := range w.reqs {
		s.Due = append(s.Due, Due(v, r))
	}
	return s
}

// TestLawViewIgnoresOrder: the fold, read at random points on the way,
// equals Compute over another order and the merge of a random partition.
func TestLawViewIgnoresOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w, recs := draw(t)
		fold := NewView()
		reads := rapid.SliceOfN(rapid.IntRange(0, 9), len(recs), len(recs)).Draw(t, "reads")
		for i, r := range recs {
			fold.Add(r)
			if reads[i] == 0 {
				snap(fold, w) // judge now, so that later adds must drop what they change
			}
		}
		full := Compute(rapid.Permutation(recs).Draw(t, "again"))
		sf, sc, sp := snap(fold, w), snap(full, w), snap(entrytest.Partitioned(t, recs, NewView), w)
		if !reflect.DeepEqual(sf, sc) {
			t.Fatalf("fold and Compute differ:\nfold    %+v\ncompute %+v", sf, sc)
		}
		if !reflect.DeepEqual(sc, sp) {
			t.Fatalf("Compute and merged partitions differ")
		}
		oracle(t, recs, sc.Jobs)
	})
}

// oracle judges every job again, naively, from the records alone.
func oracle(t *rapid.T, recs []*settle.Record, got []Status) {
	offerers := map[peer.ID]bool{}
	names := map[protocol.ID][]cid.Cid{}
	var jobs []*settle.Record
	for _, r := range recs {
		if _, ok := r.Body.(*Offer); ok {
			offerers[r.Author()] = true
		}
		if _, ok := r.Body.(*Job); ok {
			if !slices.ContainsFunc(names[r.ID], r.CID.Equals) {
				names[r.ID] = append(names[r.ID], r.CID)
			}
			jobs = append(jobs, r)
		}
	}
	if len(got) != len(names) {
		t.Fatalf("%d statuses for %d jobs", len(got), len(names))
	}
	for _, st := range got {
		j := st.Job
		// each counted provider's answers, by identity
		answers := map[peer.ID]map[protocol.ID]*Result{}
		for _, r := range recs {
			res, ok := r.Body.(*Result)
			if !ok || !slices.ContainsFunc(names[st.ID], res.Job.Cid.Equals) || r.Author() == st.Requester || !offerers[r.Author()] {
				continue
			}
			if answers[r.Author()] == nil {
				answers[r.Author()] = map[protocol.ID]*Result{}
			}
			answers[r.Author()][r.ID] = res
		}
		type key struct {
			out  string
			exit uint32
		}
		tally := map[key][]peer.ID{}
		var twice, failed []peer.ID
		for p, byID := range answers {
			var first *Result
			differ := false
			for _, res := range byID {
				if first != nil && (!first.Output.Equals(res.Output.Cid) || first.Exit != res.Exit || first.Error != res.Error) {
					differ = true
				}
				first = res
			}
			switch {
			case differ:
				twice = append(twice, p)
			case first.Error != "":
				failed = append(failed, p)
			default:
				k := key{first.Output.KeyString(), first.Exit}
				tally[k] = append(tally[k], p)
			}
		}
		best, ties := 0, 0
		var win key
		for k, ps := range tally {
			switch {
			case len(ps) > best:
				best, ties, win = len(ps), 1, k
			case len(ps) == best:
				ties++
			}
		}
		verified := best > int(j.Replicas)/2 && ties == 1
		counted := len(answers) - len(twice)
		want := map[bool]State{true: Verified, false: Pending}[verified]
		if !verified && counted >= int(j.Replicas) {
			want = Disputed
		}
		if st.State != want || st.Counted != counted || !sameSet(st.Twice, twice) || !sameSet(st.Failed, failed) {
			t.Fatalf("job %s: %v counted %d twice %d failed %d; oracle %v %d %d %d",
				st.CID, st.State, st.Counted, len(st.Twice), len(st.Failed), want, counted, len(twice), len(failed))
		}
		if verified && (st.Output.KeyString() != win.out || !sameSet(st.Majority, tally[win])) {
			t.Fatalf("job %s: verified output or majority differ from the oracle's", st.CID)
		}
	}
}

func sameSet(a, b []peer.ID) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, byBytes)
	slices.SortFunc(b, byBytes)
	return slices.Equal(a, b)
}

// TestLawDue: what is due goes only to the majority of a verified job of
// the requester, once per (job, provider), within the job's price, never
// for a pair already paid; once paid, nothing of it is due again.
func TestLawDue(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w, recs := draw(t)
		v := Compute(recs)
		for _, req := range w.reqs {
			due := Due(v, req)
			pairs := map[string]bool{}
			for _, p := range due {
				st, ok := v.Status(p.Job)
				switch {
				case !ok || st.State != Verified || st.Requester != req:
					t.Fatalf("payment for a job not verified or not the requester's: %+v", p)
				case !slices.Contains(st.Majority, p.Provider) || slices.Contains(st.Flagged(), p.Provider):
					t.Fatalf("payment to a provider outside the majority: %+v", p)
				case p.Amount == 0 || p.Amount > st.Job.MaxPrice || p.Unit != st.Job.Unit:
					t.Fatalf("payment %d %s for a job of at most %d %s", p.Amount, p.Unit, st.Job.MaxPrice, st.Job.Unit)
				case pairs[p.Job.KeyString()+string(p.Provider)]:
					t.Fatalf("two payments for one (job, provider): %+v", p)
				}
				pairs[p.Job.KeyString()+string(p.Provider)] = true
				if paidIn(recs, req, p) {
					t.Fatalf("payment due for a pair a receipt already pays: %+v", p)
				}
			}
			payer := *w.signers[slices.Index(w.reqs, req)] // a copy: its entries go past the universe's
			for _, p := range due {
				v.Add(payer.pay(panicTB{}, p))
			}
			if again := Due(v, req); len(again) != 0 {
				t.Fatalf("after paying all that was due, %d more due", len(again))
			}
		}
	})
}

// paidIn reports whether a receipt of req in recs links p's job and
// result by these very blocks (the view also resolves other blocks).
func paidIn(recs []*settle.Record, req peer.ID, p Payment) bool {
	for _, r := range recs {
		if rc, ok := r.Receipt(); ok && r.Author() == req && rc.Pays(protocol.LinkTo(p.Job)) && rc.Pays(protocol.LinkTo(p.Result)) {
			return true
		}
	}
	return false
}
