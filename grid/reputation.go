package grid

import (
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Rep is a provider's record over every job of the view.
type Rep struct {
	Provider  peer.ID
	Verified  int // in the majority of a verified job
	Disagreed int // in the minority of a verified job
	Errors    int // counted answers that report an error
	Timeouts  int // of those, the ones whose error is ErrorTimeout
	Twice     int // jobs answered twice with different results
}

// Reputation returns p's record; it judges every job not yet judged.
func (v *View) Reputation(p peer.ID) Rep {
	for _, r := range v.Reputations() {
		if r.Provider == p {
			return r
		}
	}
	return Rep{Provider: p}
}

// Reputations lists the record of every provider that wrote an offer or
// has a counted answer or a flag on some job, by provider bytes.
func (v *View) Reputations() []Rep {
	reps := map[peer.ID]*Rep{}
	get := func(p peer.ID) *Rep {
		r, ok := reps[p]
		if !ok {
			r = &Rep{Provider: p}
			reps[p] = r
		}
		return r
	}
	for p := range v.offers {
		get(p)
	}
	for _, e := range v.jobs {
		st := v.status(e)
		each(st.Majority, func(r *Rep) { r.Verified++ }, get)
		each(st.Minority, func(r *Rep) { r.Disagreed++ }, get)
		each(st.Failed, func(r *Rep) { r.Errors++ }, get)
		for _, a := range st.Answers {
			if a.Counted && a.Error == ErrorTimeout {
				get(a.Provider).Timeouts++
			}
		}
		each(st.Twice, func(r *Rep) { r.Twice++ }, get)
	}
	out := make([]Rep, 0, len(reps))
	for _, r := range reps {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Rep) int { return byBytes(a.Provider, b.Provider) })
	return out
}

func each(ps []peer.ID, fn func(*Rep), get func(peer.ID) *Rep) {
	for _, p := range ps {
		fn(get(p))
	}
}
