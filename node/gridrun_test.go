package node

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/grid"
)

// digestRunner stands in for the executor where the test is about the
// stream, the choice of providers, the vote and the payment: it prints
// the sha2-256 of the module, the input and the job, in hex. lie flips
// the first byte of what it prints.
type digestRunner struct{ lie bool }

func (r digestRunner) RunJob(_ context.Context, job cid.Cid, _ *grid.Job, module, input []byte) (GridOutput, error) {
	h := sha256.New()
	h.Write(module)
	h.Write(input)
	h.Write(job.Bytes())
	out := []byte(hex.EncodeToString(h.Sum(nil)) + "\n")
	if r.lie {
		out[0] ^= 1
	}
	return GridOutput{Stdout: out, Duration: time.Millisecond}, nil
}

// gridNode starts a node over a fresh vault on mn with opts.
func gridNode(t testing.TB, mn mocknet.Mocknet, opts ...Option) *Node {
	t.Helper()
	v := newVault(t)
	h, err := mn.AddPeer(v.Key(), ma.StringCast(fmt.Sprintf("/ip4/10.8.%d.%d/tcp/4001", mockAddr.Add(1)/250, mockAddr.Load()%250+1)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Districts: []string{district}, NoPortMap: true, SyncInterval: time.Second}
	n, err := New(context.Background(), cfg, v, append(opts, WithHost(h))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// offer publishes n's offer and makes it serve.
func offer(t testing.TB, ctx context.Context, n *Node) {
	t.Helper()
	publish(t, ctx, n, grid.KindOffer, &grid.Offer{Runtime: grid.Runtime, MemoryMiB: 64, MaxSeconds: 10, Price: 5, Unit: unit})
	if err := n.OfferGrid(ctx, nil); err != nil {
		t.Logf("offer in the DHT: %v", err) // mocknet peers: announced on the next round
	}
}

// untilGrid waits, on n's events, for cond over n's grid view.
func untilGrid(t testing.TB, ctx context.Context, n *Node, what string, cond func(v *grid.View) bool) {
	t.Helper()
	ev, stop := n.Subscribe(4096)
	defer stop()
	for {
		ok := false
		n.views.work(func(w *views) { ok = cond(w.grid) })
		if ok {
			return
		}
		select {
		case <-ev:
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestGridRunOutvotesLiar: a requester sends a job to three providers,
// one of which flips a byte of its output; the two honest ones make the
// majority, the job is verified with their output, both are paid once,
// the liar is unpaid and flagged on the job on every peer.
func TestGridRunOutvotesLiar(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	requester := gridNode(t, mn)
	honest1, honest2 := gridNode(t, mn, WithGridRunner(digestRunner{})), gridNode(t, mn, WithGridRunner(digestRunner{}))
	liar := gridNode(t, mn, WithGridRunner(digestRunner{lie: true}))
	all := []*Node{requester, honest1, honest2, liar}
	meshUp(t, ctx, mn, all...)
	for _, p := range all[1:] {
		offer(t, ctx, p)
	}
	untilGrid(t, ctx, requester, "three offers", func(v *grid.View) bool { return len(v.Offers(time.Now().UnixMilli())) == 3 })
	var notes []string
	run, err := requester.RunGrid(ctx, GridRequest{
		Module: []byte("\x00asm module"), Input: []byte("input"), MemoryMiB: 32, MaxSeconds: 5,
		Replicas: 3, MaxPrice: 10, Unit: unit, District: district,
		Progress: func(p GridProgress) { notes = append(notes, p.Note) },
	})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := digestRunner{}.RunJob(ctx, run.Job, nil, []byte("\x00asm module"), []byte("input"))
	if run.Status.State != grid.Verified || string(run.Output) != string(want.Stdout) {
		t.Fatalf("run %v with output %q, want verified %q; progress %q", run.Status.State, run.Output, want.Stdout, notes)
	}
	if m := run.Status.Minority; len(m) != 1 || m[0] != liar.ID() {
		t.Fatalf("minority %v, want the liar %s", m, liar.ID())
	}
	v := until(t, ctx, requester, "two payments", func(v *Views) bool { return len(gridPaid(v, requester.ID(), run.Job)) == 2 })
	paid := gridPaid(v, requester.ID(), run.Job)
	if paid[honest1.ID()] != 1 || paid[honest2.ID()] != 1 || paid[liar.ID()] != 0 {
		t.Fatalf("paid %v: want each honest provider once, the liar never", paid)
	}
	for _, n := range all[1:] {
		untilGrid(t, ctx, n, "the liar flagged", func(v *grid.View) bool {
			st, ok := v.Status(run.Job)
			return ok && st.State == grid.Verified && len(st.Minority) == 1 && st.Minority[0] == liar.ID()
		})
	}
	if r := reputation(requester, liar.ID()); r.Disagreed != 1 || r.Verified != 0 {
		t.Errorf("liar's reputation %+v, want one disagreement", r)
	}
}

func reputation(n *Node, p peer.ID) (r grid.Rep) {
	n.views.work(func(w *views) { r = w.grid.Reputation(p) })
	return r
}

// TestGridRunDecidesOnItsAnswers: the vote RunGrid reports counts the
// answers it received, whichever way their result entries reached the
// views first. A provider's result also travels by gossip, and may be
// stored (so the stream's copy is Known) a moment before the views count
// it, or may verify the job before the stream has brought its bytes: a
// run then returned "pending" after all answers came, or "verified" with
// no output. Many jobs in a row make those interleavings happen.
func TestGridRunDecidesOnItsAnswers(t *testing.T) {
	ctx := ctxT(t, 120*time.Second)
	mn := newMocknet(t)
	requester := gridNode(t, mn)
	providers := []*Node{gridNode(t, mn, WithGridRunner(digestRunner{})), gridNode(t, mn, WithGridRunner(digestRunner{})), gridNode(t, mn, WithGridRunner(digestRunner{lie: true}))}
	all := append([]*Node{requester}, providers...)
	meshUp(t, ctx, mn, all...)
	for _, p := range providers {
		offer(t, ctx, p)
	}
	untilGrid(t, ctx, requester, "three offers", func(v *grid.View) bool { return len(v.Offers(time.Now().UnixMilli())) == 3 })
	for i := range 40 {
		input := []byte(fmt.Sprintf("input %d", i))
		run, err := requester.RunGrid(ctx, GridRequest{
			Module: []byte("\x00asm module"), Input: input, MemoryMiB: 32, MaxSeconds: 5,
			Replicas: 3, MaxPrice: 10, Unit: unit, District: district,
		})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := digestRunner{}.RunJob(ctx, run.Job, nil, []byte("\x00asm module"), input)
		if run.Status.State != grid.Verified || string(run.Output) != string(want.Stdout) {
			t.Fatalf("job %d: %v with output %q, want verified %q; attempts %+v", i, run.Status.State, run.Output, want.Stdout, run.Attempts)
		}
		if m := run.Status.Minority; len(m) != 1 || m[0] != providers[2].ID() {
			t.Fatalf("job %d: minority %v, want the liar", i, m)
		}
	}
}
