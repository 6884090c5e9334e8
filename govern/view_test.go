package govern

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/settle"
)

// testDistrict is a test district: a genesis by founder listing four
// stewards and one verifier, with a credit limit.
type testDistrict struct {
	founder, v1, outsider *author
	s                     []*author
	genesis               *settle.Record
}

func newDistrict(t *testing.T) *testDistrict {
	d := &testDistrict{founder: newAuthor(t, 90), v1: newAuthor(t, 91), outsider: newAuthor(t, 92)}
	for i := range 4 {
		d.s = append(d.s, newAuthor(t, byte(100+i)))
	}
	d.genesis = d.founder.genesis(t, meso, d.s, []*author{d.v1}, map[string]uint64{"credit": 100})
	return d
}

// propAt has a sign p at time at in meso.
func propAt(t *testing.T, a *author, at int64, p *Proposal) *settle.Record {
	a.at = at
	defer func() { a.at = 0 }()
	return a.propose(t, meso, p)
}

// judged computes the view of recs, in a shuffled order, and checks that
// the order given gives the same.
func judged(t *testing.T, flags settle.Flags, recs ...*settle.Record) *View {
	t.Helper()
	shuffled := slices.Clone(recs)
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	v := Compute(shuffled, nil, flags)
	w := Compute(recs, nil, flags)
	if !equalViews(v, w) {
		t.Fatal("the view depends on the order of the records")
	}
	return v
}

func equalViews(a, b *View) bool {
	return slices.EqualFunc(a.Districts(), b.Districts(), func(x, y string) bool { return x == y }) &&
		deepEqual(snap(a), snap(b))
}

func status(t *testing.T, v *View, prop *settle.Record) Status {
	t.Helper()
	st, ok := v.Status(prop.CID)
	if !ok {
		t.Fatalf("no status for proposal %s", prop.CID)
	}
	return st
}

func TestRatifyMoreThanTwoThirds(t *testing.T) {
	d := newDistrict(t)
	p := propAt(t, d.s[0], 2000, mipChange(Activate, "MIP-AGR@2"))
	recs := []*settle.Record{d.genesis, p, d.s[0].vote(t, p, true), d.s[1].vote(t, p, true)}
	v := judged(t, nil, recs...)
	st := status(t, v, p)
	if st.Ratified || st.Stewards != 4 || st.Threshold != 3 || len(st.Yes) != 2 || v.Active(meso, "MIP-AGR@2") {
		t.Fatalf("two yes of four stewards: %+v, active %v", st, v.Active(meso, "MIP-AGR@2"))
	}
	recs = append(recs, d.s[2].vote(t, p, true))
	v = judged(t, nil, recs...)
	if st := status(t, v, p); !st.Ratified || st.Why != "" || !v.Active(meso, "MIP-AGR@2") {
		t.Fatalf("three yes of four stewards: %+v", st)
	}
	if v.Active(meso, "MIP-AGR@1") || v.Active("other", "MIP-AGR@2") {
		t.Fatal("a ref or a district nobody ratified is active")
	}
}

// TestTiesDoNotRatify: half yes, half no does not ratify, and neither do
// exactly two thirds.
func TestTiesDoNotRatify(t *testing.T) {
	d := newDistrict(t)
	p := propAt(t, d.s[0], 2000, mipChange(Activate, "MIP-AGR@2"))
	v := judged(t, nil, d.genesis, p, d.s[0].vote(t, p, true), d.s[1].vote(t, p, true), d.s[2].vote(t, p, false), d.s[3].vote(t, p, false))
	if st := status(t, v, p); st.Ratified || len(st.Yes) != 2 || len(st.No) != 2 {
		t.Fatalf("a tie: %+v", st)
	}
	three := d.founder.genesis(t, "trio", d.s[:3], nil, nil)
	q := d.s[0].propose(t, "trio", mipChange(Activate, "MIP-AGR@2"))
	v = judged(t, nil, three, q, d.s[0].vote(t, q, true), d.s[1].vote(t, q, true))
	if st := status(t, v, q); st.Ratified || st.Threshold != 3 {
		t.Fatalf("exactly two thirds of three stewards: %+v", st)
	}
}

// TestLatestVoteCounts: a steward's vote with the highest seq is its vote.
func TestLatestVoteCounts(t *testing.T) {
	d := newDistrict(t)
	p := propAt(t, d.s[0], 2000, mipChange(Activate, "MIP-AGR@2"))
	yes := []*settle.Record{d.genesis, p, d.s[0].vote(t, p, true), d.s[1].vote(t, p, true), d.s[2].vote(t, p, true)}
	no := d.s[2].vote(t, p, false)
	v := judged(t, nil, append(yes, no)...)
	if st := status(t, v, p); st.Ratified || len(st.No) != 1 || st.No[0] != d.s[2].id {
		t.Fatalf("yes then no: %+v", st)
	}
	again := d.s[2].vote(t, p, true)
	v = judged(t, nil, append(yes, no, again)...)
	if st := status(t, v, p); !st.Ratified || len(st.No) != 0 {
		t.Fatalf("yes, no, yes: %+v", st)
	}
	// a vote on another block of the proposal votes on the same proposal
	other := d.s[0].resign(t, p, rand.NewChaCha8([32]byte{1}))
	late := d.s[3].next(t, meso, KindVote, &Vote{Proposal: linkTo(other), Yes: false})
	v = judged(t, nil, append(yes, no, again, other, late)...)
	st := status(t, v, other)
	if !st.Ratified || len(st.No) != 1 || st.CID != minCID(p, other) {
		t.Fatalf("a vote on another block: %+v", st)
	}
}

// TestFlaggedStewardDoesNotCount: a flagged steward's vote and proposal
// count for nothing, and it is not a steward in force.
func TestFlaggedStewardDoesNotCount(t *testing.T) {
	d := newDistrict(t)
	flags := settle.Flags{d.s[3].id: true}
	p := propAt(t, d.s[0], 2000, mipChange(Activate, "MIP-AGR@2"))
	recs := []*settle.Record{d.genesis, p, d.s[0].vote(t, p, true), d.s[1].vote(t, p, true), d.s[3].vote(t, p, true)}
	v := judged(t, flags, recs...)
	st := status(t, v, p)
	if st.Ratified || st.Stewards != 3 || st.Threshold != 3 || slices.Contains(st.Yes, d.s[3].id) {
		t.Fatalf("a flagged steward's yes: %+v", st)
	}
	if slices.Contains(v.Stewards(meso), d.s[3].id) {
		t.Fatal("a flagged steward is in force")
	}
	q := propAt(t, d.s[3], 2100, mipChange(Activate, "MIP-HLT@1"))
	recs = append(recs, q, d.s[0].vote(t, q, true), d.s[1].vote(t, q, true), d.s[2].vote(t, q, true))
	v = judged(t, flags, recs...)
	if st := status(t, v, q); st.Ratified || st.Why != "its author is flagged" {
		t.Fatalf("a flagged steward's proposal: %+v", st)
	}
	if v.Active(meso, "MIP-HLT@1") {
		t.Fatal("a flagged steward's proposal took effect")
	}
}

// TestStewardVotedOut: once a proposal removing a steward is ratified,
// that steward's votes on proposals judged after it stop counting, and so
// do its proposals; on proposals judged before, they still count.
func TestStewardVotedOut(t *testing.T) {
	d := newDistrict(t)
	out := d.s[3]
	before := propAt(t, d.s[0], 1500, mipChange(Activate, "MIP-OLD@1"))
	remove := propAt(t, d.s[0], 2000, peerChange(RemoveSteward, out))
	after := propAt(t, d.s[1], 3000, mipChange(Activate, "MIP-AGR@2"))
	mine := propAt(t, out, 3500, mipChange(Activate, "MIP-HLT@1"))
	recs := []*settle.Record{d.genesis, before, remove, after, mine,
		d.s[0].vote(t, before, true), d.s[1].vote(t, before, true), out.vote(t, before, true),
		d.s[0].vote(t, remove, true), d.s[1].vote(t, remove, true), d.s[2].vote(t, remove, true), out.vote(t, remove, false),
		out.vote(t, after, true), d.s[0].vote(t, after, true), d.s[1].vote(t, after, true),
		d.s[0].vote(t, mine, true), d.s[1].vote(t, mine, true), d.s[2].vote(t, mine, true),
	}
	v := judged(t, nil, recs...)
	if st := status(t, v, before); !st.Ratified || !slices.Contains(st.Yes, out.id) {
		t.Fatalf("before the removal its vote counts: %+v", st)
	}
	if st := status(t, v, remove); !st.Ratified || len(st.No) != 1 {
		t.Fatalf("the removal: %+v", st)
	}
	if st := status(t, v, after); st.Ratified || st.Stewards != 3 || slices.Contains(st.Yes, out.id) {
		t.Fatalf("after the removal its vote still counts: %+v", st)
	}
	if st := status(t, v, mine); st.Ratified || st.Why != "its author is not a steward in force when it is judged" {
		t.Fatalf("its proposal after the removal: %+v", st)
	}
	if slices.Contains(v.Stewards(meso), out.id) || len(v.Stewards(meso)) != 3 {
		t.Fatalf("stewards in force: %v", v.Stewards(meso))
	}
	// the third remaining steward's yes ratifies it
	v = judged(t, nil, append(recs, d.s[2].vote(t, after, true))...)
	if st := status(t, v, after); !st.Ratified {
		t.Fatalf("three of three: %+v", st)
	}
}

// TestAddedStewardCounts: a steward added by a ratified proposal counts
// on proposals judged after it, and a verifier change and a limit change
// take effect.
func TestAddedStewardCounts(t *testing.T) {
	d := newDistrict(t)
	n := d.outsider
	add := propAt(t, d.s[0], 2000, peerChange(AddSteward, n))
	early := propAt(t, d.s[0], 1000, &Proposal{Change: Limit, Unit: "credit", Amount: 5})
	ver := propAt(t, d.s[1], 3000, peerChange(AddVerifier, n))
	unver := propAt(t, d.s[1], 3100, peerChange(RemoveVerifier, d.v1))
	var recs []*settle.Record
	recs = append(recs, d.genesis, add, early, ver, unver, n.vote(t, early, true))
	for _, s := range d.s[:3] {
		recs = append(recs, s.vote(t, add, true), s.vote(t, unver, true))
	}
	recs = append(recs, d.s[0].vote(t, early, true), d.s[1].vote(t, early, true))
	recs = append(recs, d.s[0].vote(t, ver, true), d.s[1].vote(t, ver, true), d.s[2].vote(t, ver, true))
	v := judged(t, nil, recs...)
	if st := status(t, v, early); st.Ratified || slices.Contains(st.Yes, n.id) {
		t.Fatalf("a non-steward's vote counted: %+v", st)
	}
	if st := status(t, v, ver); st.Ratified || st.Stewards != 5 || st.Threshold != 4 {
		t.Fatalf("with five stewards, three yes: %+v", st)
	}
	recs = append(recs, n.vote(t, ver, true), n.vote(t, unver, true), n.vote(t, early, true))
	v = judged(t, nil, recs...)
	if st := status(t, v, ver); !st.Ratified || !slices.Contains(st.Yes, n.id) {
		t.Fatalf("the added steward's vote: %+v", st)
	}
	if st := status(t, v, early); st.Ratified {
		t.Fatalf("a vote by a steward added after the proposal was judged counted: %+v", st)
	}
	if got := v.Verifiers(meso); !slices.Equal(got, []peer.ID{n.id}) {
		t.Fatalf("verifiers in force %v, want the added one only", got)
	}
	if got := v.Limits(meso); got["credit"] != 100 {
		t.Fatalf("limits %v", got)
	}
	recs = append(recs, d.s[2].vote(t, early, true))
	if got := judged(t, nil, recs...).Limits(meso); got["credit"] != 5 {
		t.Fatalf("limits after the limit is ratified %v", got)
	}
}

// TestConflictingProposals: of two ratified proposals that conflict, the
// one judged later wins.
func TestConflictingProposals(t *testing.T) {
	d := newDistrict(t)
	ratify := func(p *settle.Record) []*settle.Record {
		return []*settle.Record{p, d.s[0].vote(t, p, true), d.s[1].vote(t, p, true), d.s[2].vote(t, p, true)}
	}
	on := propAt(t, d.s[0], 2000, mipChange(Activate, "MIP-AGR@2"))
	off := propAt(t, d.s[1], 2500, mipChange(Retire, "MIP-AGR@2"))
	onAgain := propAt(t, d.s[2], 2500, mipChange(Activate, "MIP-AGR@2")) // same time: author order decides
	low := propAt(t, d.s[0], 3000, &Proposal{Change: Limit, Unit: "credit", Amount: 1})
	high := propAt(t, d.s[1], 2900, &Proposal{Change: Limit, Unit: "credit", Amount: 9})
	base := append([]*settle.Record{d.genesis}, ratify(on)...)
	v := judged(t, nil, append(base, ratify(off)...)...)
	if v.Active(meso, "MIP-AGR@2") {
		t.Fatal("activated then retired, still active")
	}
	all := append(append(append(base, ratify(off)...), ratify(onAgain)...), append(ratify(low), ratify(high)...)...)
	v = judged(t, nil, all...)
	laterOn := byBytes(d.s[2].id, d.s[1].id) > 0
	if v.Active(meso, "MIP-AGR@2") != laterOn {
		t.Fatalf("retire and activate at one time: active %v, want %v (author order)", v.Active(meso, "MIP-AGR@2"), laterOn)
	}
	if got := v.Limits(meso)["credit"]; got != 1 {
		t.Fatalf("limit %d, want the one judged later (1)", got)
	}
	r, _ := v.Rules(meso)
	if !slices.IsSortedFunc(r.Proposals, func(a, b Status) int { return int(a.Time - b.Time) }) {
		t.Fatal("proposals are not listed in the order judged")
	}
}

// TestLastStewardStays: a proposal removing the last steward in force
// does not ratify.
func TestLastStewardStays(t *testing.T) {
	a := newAuthor(t, 120)
	g := a.genesis(t, "solo", []*author{a}, nil, nil)
	p := a.propose(t, "solo", peerChange(RemoveSteward, a))
	v := judged(t, nil, g, p, a.vote(t, p, true))
	if st := status(t, v, p); st.Ratified || len(v.Stewards("solo")) != 1 {
		t.Fatalf("the last steward voted itself out: %+v", st)
	}
}

// TestPinnedGenesis: with a pin, only the pinned district entry names the
// stewards; without the pinned block held, the district has no rules.
func TestPinnedGenesis(t *testing.T) {
	d := newDistrict(t)
	rival := d.outsider
	rival.at = 1 // earlier than the real genesis
	fake := rival.genesis(t, meso, []*author{rival}, nil, nil)
	rival.at = 0
	p := propAt(t, rival, 2000, mipChange(Activate, "MIP-BAD@1"))
	recs := []*settle.Record{d.genesis, fake, p, rival.vote(t, p, true)}
	if v := Compute(recs, nil, nil); !v.Active(meso, "MIP-BAD@1") {
		t.Fatal("unpinned, the earliest district entry should be the genesis")
	}
	pins := settle.Pins{meso: d.genesis.CID}
	v := Compute(recs, pins, nil)
	if v.Active(meso, "MIP-BAD@1") || len(v.Stewards(meso)) != 4 {
		t.Fatalf("pinned: active %v, stewards %d", v.Active(meso, "MIP-BAD@1"), len(v.Stewards(meso)))
	}
	if v := Compute(recs[1:], pins, nil); len(v.Districts()) != 0 {
		t.Fatal("a district whose pinned genesis is not held has rules")
	}
}

// TestUnjudged: a proposal in a district with no genesis, and a vote
// whose link names no proposal, are not judged; what a read returns is
// the caller's to change.
func TestUnjudged(t *testing.T) {
	d := newDistrict(t)
	stray := d.s[0].propose(t, "nowhere", mipChange(Activate, "MIP-AGR@2"))
	p := propAt(t, d.s[0], 2000, mipChange(Activate, "MIP-AGR@2"))
	v := judged(t, nil, d.genesis, stray, p, d.s[0].vote(t, stray, true), d.s[1].vote(t, d.genesis, true), d.s[1].vote(t, p, true))
	if _, ok := v.Status(stray.CID); ok || !slices.Equal(v.Districts(), []string{meso}) {
		t.Fatalf("a proposal in a district with no genesis was judged: districts %v", v.Districts())
	}
	if st := status(t, v, p); len(st.Yes) != 1 {
		t.Fatalf("votes %+v", st)
	}
	r, _ := v.Rules(meso)
	r.Stewards[0], r.Limits["credit"], r.Proposals[0].Yes[0] = "", 0, ""
	again, _ := v.Rules(meso)
	if again.Stewards[0] == "" || again.Limits["credit"] != 100 || again.Proposals[0].Yes[0] == "" {
		t.Fatal("changing what Rules returned changed the view")
	}
}
