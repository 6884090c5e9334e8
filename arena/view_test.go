package arena

import (
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

func TestAcceptByPosterPaysShares(t *testing.T) {
	poster, ann, bob := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	p := poster.problem(t, "meso", 10, 0)
	sa, sb := ann.solve(t, p, "a"), bob.solve(t, p, "b")
	acc := poster.accept(t, p, 2000, share(sa, 6), share(sb, 7)) // 13 of 10: bob's cut to 4
	v := viewOf(p, sa, sb, acc)
	st, ok := v.Status(p.CID, At{Now: 3000})
	if !ok || st.State != Solved || st.Accept == nil || st.Accept.Steward || len(st.Solved) != 2 {
		t.Fatalf("status %+v", st)
	}
	due := Due(v, poster.ID, At{Now: 3000})
	if len(due) != 2 || due[0].Solver != ann.ID || due[0].Amount != 6 || due[1].Solver != bob.ID || due[1].Amount != 4 {
		t.Fatalf("due %+v", due)
	}
	v.Add(poster.pay(t, due[0]))
	if again := Due(v, poster.ID, At{Now: 3000}); len(again) != 1 || again[0].Solver != bob.ID || again[0].Amount != 4 {
		t.Fatalf("after one receipt, due %+v", again)
	}
	v.Add(poster.pay(t, due[1]))
	if again := Due(v, poster.ID, At{Now: 3000}); len(again) != 0 {
		t.Fatalf("after both receipts, due %+v", again)
	}
}

func TestAcceptByOtherBeforeDeadlinePaysNothing(t *testing.T) {
	poster, ann, mal, stew := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 4), newAuthor(t, 5)
	at := At{Now: 1500, Stewards: stewards(map[string][]peer.ID{"meso": {stew.ID}})}
	p := poster.problem(t, "meso", 10, 2000)
	sa := ann.solve(t, p, "a")
	early := stew.accept(t, p, 1500, share(sa, 10)) // a steward, before the deadline
	forged := mal.accept(t, p, 2500, share(sa, 10)) // a stranger, after it
	v := viewOf(p, sa, early, forged)
	for _, now := range []int64{1500, 2500} {
		at.Now = now
		st, _ := v.Status(p.CID, at)
		want := map[int64]State{1500: Open, 2500: Expired}[now]
		if st.State != want || st.Accepts != 2 {
			t.Fatalf("at %d: %v with %d accepts, want %v", now, st.State, st.Accepts, want)
		}
		if due := Due(v, poster.ID, at); len(due) != 0 {
			t.Fatalf("at %d: due %+v", now, due)
		}
	}
}

func TestStewardAcceptsPastDeadline(t *testing.T) {
	poster, ann, stew := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 5)
	at := At{Now: 3000, Stewards: stewards(map[string][]peer.ID{"meso": {stew.ID}})}
	p := poster.problem(t, "meso", 10, 2000)
	sa := ann.solve(t, p, "a")
	late := stew.accept(t, p, 2100, share(sa, 10))
	v := viewOf(p, sa, late)
	st, _ := v.Status(p.CID, at)
	if st.State != Solved || !st.Accept.Steward {
		t.Fatalf("status %+v", st)
	}
	if st, _ := v.Status(p.CID, At{Now: 3000}); st.State != Expired {
		t.Fatalf("without stewards: %v", st.State)
	}
	due := Due(v, poster.ID, at)
	if len(due) != 1 || due[0].Amount != 10 {
		t.Fatalf("due %+v", due)
	}
	// The poster's own accept, however late, decides instead; what was
	// paid already is taken off the bounty.
	v.Add(poster.pay(t, due[0]))
	sb := newAuthor(t, 3).solve(t, p, "b")
	v.Add(sb)
	v.Add(poster.accept(t, p, 4000, share(sb, 10)))
	if st, _ := v.Status(p.CID, at); st.Accept.Steward || st.Solved[0].Solver == ann.ID {
		t.Fatalf("poster's accept does not decide: %+v", st.Accept)
	}
	if due := Due(v, poster.ID, at); len(due) != 0 {
		t.Fatalf("beyond the bounty: %+v", due)
	}
}

func TestFirstPosterAcceptDecides(t *testing.T) {
	poster, ann, bob := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	p := poster.problem(t, "meso", 0, 0)
	sa, sb := ann.solve(t, p, "a"), bob.solve(t, p, "b")
	first, second := poster.accept(t, p, 2000, share(sa, 0)), poster.accept(t, p, 2001, share(sb, 0))
	v := viewOf(second, sb, sa, first, p)
	st, _ := v.Status(p.CID, At{})
	if st.State != Solved || st.Accept.Seq != first.ID.Seq || len(st.Solved) != 1 || st.Solved[0].Solver != ann.ID {
		t.Fatalf("status %+v", st)
	}
	if due := Due(v, poster.ID, At{}); len(due) != 0 {
		t.Fatalf("no bounty, due %+v", due)
	}
	att := func(verdict, why string) settle.Attestation {
		return settle.Attestation{Verifier: ann.ID, Verdict: verdict, Why: why}
	}
	ag := v.Agency(ann.ID, At{}, []settle.Status{
		{Author: ann.ID, MIP: "MIP-AGR@1", Verified: true}, {Author: ann.ID, MIP: "MIP-AGR@1"},
		{Author: bob.ID, MIP: "MIP-AGR@1", Verified: true, Attestations: []settle.Attestation{att(protocol.Invalid, settle.WhySuperseded), att(protocol.Valid, "")}}, // agrees
		{Author: bob.ID, MIP: "MIP-HLT@1", Verified: true, Attestations: []settle.Attestation{att(protocol.Invalid, settle.WhyInvalid)}},                             // disagrees
		{Author: bob.ID, MIP: "MIP-HLT@1", Attestations: []settle.Attestation{att(protocol.Invalid, settle.WhyInvalid)}},                                             // agrees
	})
	if ag.Accepted["MIP-AGR"] != 1 || ag.Verified["MIP-AGR@1"] != 1 || ag.Agreed["MIP-AGR@1"] != 1 || ag.Agreed["MIP-HLT@1"] != 1 {
		t.Fatalf("agency %+v", ag)
	}
	if ag := v.Agency(bob.ID, At{}, nil); len(ag.Accepted) != 0 {
		t.Fatalf("bob's agency %+v", ag)
	}
}

func TestShareOfAnotherProblemOrThePosterCounts(t *testing.T) {
	poster, ann := newAuthor(t, 1), newAuthor(t, 2)
	p, q := poster.problem(t, "meso", 10, 0), poster.problem(t, "meso", 10, 0)
	other, own := ann.solve(t, q, "for q"), poster.solve(t, p, "mine")
	v := viewOf(p, q, other, own, poster.accept(t, p, 2000, share(other, 5), share(own, 5)))
	st, _ := v.Status(p.CID, At{})
	if st.State != Solved || len(st.Solved) != 0 {
		t.Fatalf("status %+v", st)
	}
	if due := Due(v, poster.ID, At{}); len(due) != 0 {
		t.Fatalf("due %+v", due)
	}
}

func TestFeedAndDomain(t *testing.T) {
	poster := newAuthor(t, 1)
	a := poster.Next(t, kinds, KindProblem, "meso", 1000, &Problem{Domain: "MIP-AGR@1", Title: "a"})
	b := poster.Next(t, kinds, KindProblem, "meso", 3000, &Problem{Domain: "MIP-AGR@2", Title: "b"})
	c := poster.Next(t, kinds, KindProblem, "meso/north", 2000, &Problem{Domain: "MIP-AGR", Title: "c"})
	d := poster.Next(t, kinds, KindProblem, "meso", 2000, &Problem{Domain: "MIP-HLT@1", Title: "d"})
	v := viewOf(a, b, c, d)
	titles := func(sts []Status) (out string) {
		for _, s := range sts {
			out += s.Problem.Title
		}
		return out
	}
	for _, tc := range []struct{ got, want string }{
		{titles(v.Feed("meso", At{})), "bda"},
		{titles(v.Feed("meso/north", At{})), "c"},
		{titles(v.Feed("", At{})), ""},
		{titles(v.InDomain("MIP-AGR", At{})), "bca"},
		{titles(v.InDomain("MIP-AGR@1", At{})), "ca"},
		{titles(v.InDomain("MIP-HLT", At{})), "d"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
