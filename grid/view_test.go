package grid

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

func peers(as ...*author) []peer.ID {
	var out []peer.ID
	for _, a := range as {
		out = append(out, a.ID)
	}
	slices.SortFunc(out, byBytes)
	return out
}

// TestLiarOutvoted: three providers, one flips the output; the job is
// verified by the other two, the liar is in the minority, flagged, and
// counts a disagreement; only the two are due payment.
func TestLiarOutvoted(t *testing.T) {
	req, a, b, liar := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4)
	offers := []*settle.Record{a.offer(t, 3, "credit"), b.offer(t, 4, "credit"), liar.offer(t, 1, "credit")}
	job := req.job(t, 3, 5, "in")
	ra, rl, rb := a.result(t, job, "42"), liar.result(t, job, "43"), b.result(t, job, "42")

	v := viewOf(append(offers, job, ra, rl)...)
	st, _ := v.Status(job.CID)
	if st.State != Pending || len(st.Groups) != 2 {
		t.Fatalf("after 2 of 3 disagreeing: %v, %d groups", st.State, len(st.Groups))
	}
	v.Add(rb)
	st, _ = v.Status(job.CID)
	if st.State != Verified || !st.Output.Equals(BytesCID([]byte("42"))) {
		t.Fatalf("state %v output %s, want verified 42", st.State, st.Output)
	}
	if !reflect.DeepEqual(st.Majority, peers(a, b)) || !reflect.DeepEqual(st.Flagged(), peers(liar)) {
		t.Fatalf("majority %v flagged %v", st.Majority, st.Flagged())
	}
	if r := v.Reputation(liar.ID); r.Disagreed != 1 || r.Verified != 0 {
		t.Fatalf("liar's reputation %+v", r)
	}
	if r := v.Reputation(a.ID); r.Verified != 1 || r.Disagreed != 0 {
		t.Fatalf("honest reputation %+v", r)
	}
	due := Due(v, req.ID)
	if len(due) != 2 {
		t.Fatalf("due %+v, want 2 payments", due)
	}
	for _, p := range due {
		if p.Provider == liar.ID || !p.Job.Equals(job.CID) {
			t.Fatalf("payment %+v", p)
		}
		if want := map[peer.ID]uint64{a.ID: 3, b.ID: 4}[p.Provider]; p.Amount != want {
			t.Fatalf("pays %d, want the offer's %d", p.Amount, want)
		}
	}
	v.Add(req.pay(t, due[0]))
	if again := Due(v, req.ID); len(again) != 1 || again[0].Provider != due[1].Provider {
		t.Fatalf("after paying one, due %+v", again)
	}
	if len(Due(v, a.ID)) != 0 {
		t.Fatal("a provider owes for a job it did not request")
	}
}

// TestWhoCounts: results by the requester, by a peer without an offer,
// and a provider's second answer; a result before its job waits for it.
func TestWhoCounts(t *testing.T) {
	req, a, b, stranger := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4)
	oa, ob := a.offer(t, 1, "credit"), b.offer(t, 1, "credit")
	job := req.job(t, 3, 5, "in")
	own, str := req.result(t, job, "x"), stranger.result(t, job, "x")
	ra, ra2, rb, rb2 := a.result(t, job, "x"), a.result(t, job, "x"), b.result(t, job, "x"), b.result(t, job, "y")

	v := viewOf(own, str, ra, ra2, rb) // no job yet
	if _, ok := v.Status(job.CID); ok {
		t.Fatal("a job not held has a status")
	}
	v.Add(job)
	st, _ := v.Status(job.CID)
	if st.State != Pending || st.Counted != 0 {
		t.Fatalf("without offers: %v, %d counted", st.State, st.Counted)
	}
	v.Add(oa)
	v.Add(ob)
	st, _ = v.Status(job.CID)
	if st.State != Verified || st.Counted != 2 {
		t.Fatalf("with offers: %v, %d counted; want verified by 2 of 3", st.State, st.Counted)
	}
	why := map[string]string{}
	for _, an := range st.Answers {
		why[an.CID.String()] = an.Why
	}
	want := map[string]string{own.CID.String(): WhyRequester, str.CID.String(): WhyStranger, ra.CID.String(): WhyCounted,
		ra2.CID.String(): WhyLater, rb.CID.String(): WhyCounted}
	if !reflect.DeepEqual(why, want) {
		t.Fatalf("why %v\nwant %v", why, want)
	}
	v.Add(rb2) // b answers again, differently: its vote goes, it is flagged
	st, _ = v.Status(job.CID)
	if st.State != Pending || !reflect.DeepEqual(st.Twice, peers(b)) || !reflect.DeepEqual(st.Flagged(), peers(b)) {
		t.Fatalf("after b's second answer: %v, twice %v", st.State, st.Twice)
	}
	if r := v.Reputation(b.ID); r.Twice != 1 {
		t.Fatalf("b's reputation %+v", r)
	}
}

// TestDisputedAndTies: k answers with no majority are disputed; two
// groups of one size above half of k verify nothing; a later agreeing
// answer settles it.
func TestDisputedAndTies(t *testing.T) {
	req := newAuthor(t, 1)
	ps := make([]*author, 6)
	var recs []*settle.Record
	for i := range ps {
		ps[i] = newAuthor(t, byte(10+i))
		recs = append(recs, ps[i].offer(t, 1, "credit"))
	}
	job := req.job(t, 3, 5, "in")
	recs = append(recs, job, ps[0].result(t, job, "a"), ps[1].result(t, job, "b"), ps[2].fail(t, job, ErrorTimeout))
	v := viewOf(recs...)
	st, _ := v.Status(job.CID)
	if st.State != Disputed || !reflect.DeepEqual(st.Failed, peers(ps[2])) {
		t.Fatalf("3 different answers of 3: %v, failed %v", st.State, st.Failed)
	}
	v.Add(ps[3].result(t, job, "a"))
	v.Add(ps[4].result(t, job, "b"))
	if st, _ = v.Status(job.CID); st.State != Disputed {
		t.Fatalf("a tie 2-2 of k=3: %v", st.State)
	}
	v.Add(ps[5].result(t, job, "b"))
	if st, _ = v.Status(job.CID); st.State != Verified || !st.Output.Equals(BytesCID([]byte("b"))) {
		t.Fatalf("3-2: %v %s", st.State, st.Output)
	}
	if !reflect.DeepEqual(st.Minority, peers(ps[0], ps[3])) || v.Reputation(ps[2].ID).Errors != 1 {
		t.Fatalf("minority %v, reputation of the failed %+v", st.Minority, v.Reputation(ps[2].ID))
	}
}

// TestExitCodeSplits: equal output with another exit code disagrees.
func TestExitCodeSplits(t *testing.T) {
	req, a, b := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	job := req.job(t, 2, 5, "in")
	rb := b.next(t, KindResult, &Result{Job: protocol.LinkTo(job.CID), Output: protocol.LinkTo(BytesCID([]byte("x"))), Exit: 3})
	v := viewOf(a.offer(t, 1, "credit"), b.offer(t, 1, "credit"), job, a.result(t, job, "x"), rb)
	if st, _ := v.Status(job.CID); st.State != Disputed || len(st.Groups) != 2 {
		t.Fatalf("%v with %d groups", st.State, len(st.Groups))
	}
}

// TestOtherBlocks: a result naming another block of the job counts for
// it, and a receipt naming other blocks pays the pair.
func TestOtherBlocks(t *testing.T) {
	req, a := newAuthor(t, 1), newAuthor(t, 2)
	rnd := bytes.NewReader(bytes.Repeat([]byte{7}, 1<<16))
	job := req.job(t, 1, 5, "in")
	job2 := req.resign(t, job, rnd)
	offer := a.offer(t, 2, "credit")
	res := a.result(t, job2, "x")
	v := viewOf(offer, job, res)
	if st, _ := v.Status(job.CID); st.State != Pending {
		t.Fatal("a result naming a block not held counts")
	}
	v.Add(job2)
	st, ok := v.Status(job.CID)
	if !ok || st.State != Verified {
		t.Fatalf("with both blocks: %v", st.State)
	}
	if want := min(job.CID.KeyString(), job2.CID.KeyString()); st.CID.KeyString() != want {
		t.Fatal("the job is not reported by its smallest CID")
	}
	due := Due(v, req.ID)
	if len(due) != 1 {
		t.Fatalf("due %+v", due)
	}
	res2 := a.resign(t, res, rnd) // another block of the result, not held yet
	p := due[0]
	p.Job, p.Result = job2.CID, res2.CID
	v.Add(req.pay(t, p))
	if len(Due(v, req.ID)) != 1 {
		t.Fatal("a receipt naming a result block not held pays it")
	}
	v.Add(res2)
	if due := Due(v, req.ID); len(due) != 0 {
		t.Fatalf("paid through other blocks, still due %+v", due)
	}
}
