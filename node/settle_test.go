package node

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

const unit = "credit"

var mockAddr atomic.Uint32

// mockNode starts a node over v on a mocknet host with v's key, following
// district, with anti-entropy every second.
func mockNode(t testing.TB, mn mocknet.Mocknet, v *vault.Bolt) *Node {
	t.Helper()
	h, err := mn.AddPeer(v.Key(), ma.StringCast(fmt.Sprintf("/ip4/10.7.%d.%d/tcp/4001", mockAddr.Add(1)/250, mockAddr.Load()%250+1)))
	if err != nil {
		t.Fatal(err)
	}
	return restart(t, h.ID(), mn, v)
}

// restart starts a node over v on the mocknet host already made for it.
func restart(t testing.TB, id peer.ID, mn mocknet.Mocknet, v *vault.Bolt) *Node {
	t.Helper()
	cfg := Config{Districts: []string{district}, NoPortMap: true, SyncInterval: time.Second}
	n, err := New(context.Background(), cfg, v, WithHost(mn.Host(id)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func newMocknet(t testing.TB) mocknet.Mocknet {
	mn := mocknet.New()
	t.Cleanup(func() { mn.Close() })
	return mn
}

// meshUp links and connects every pair of nodes not yet linked and waits
// until each sees the new ones on the district topic.
func meshUp(t testing.TB, ctx context.Context, mn mocknet.Mocknet, ns ...*Node) {
	t.Helper()
	evs := make([]<-chan Event, len(ns))
	for i, n := range ns {
		ev, stop := n.Subscribe(1024)
		t.Cleanup(stop)
		evs[i] = ev
	}
	want := map[peer.ID]map[peer.ID]bool{}
	for _, n := range ns {
		want[n.ID()] = map[peer.ID]bool{}
	}
	for i, a := range ns {
		for _, b := range ns[i+1:] {
			if len(mn.LinksBetweenPeers(a.ID(), b.ID())) > 0 {
				continue
			}
			if _, err := mn.LinkPeers(a.ID(), b.ID()); err != nil {
				t.Fatal(err)
			}
			if _, err := mn.ConnectPeers(a.ID(), b.ID()); err != nil {
				t.Fatal(err)
			}
			want[a.ID()][b.ID()], want[b.ID()][a.ID()] = true, true
		}
	}
	for i, a := range ns {
		w := want[a.ID()]
		if len(w) == 0 {
			continue
		}
		waitFor(t, ctx, evs[i], "topic peers", func(e Event) bool {
			if tp, ok := e.(TopicPeer); ok && tp.Joined {
				delete(w, tp.Peer)
			}
			return len(w) == 0
		})
	}
}

// until waits, on n's events, for cond to hold.
func until(t testing.TB, ctx context.Context, n *Node, what string, cond func(*Views) bool) *Views {
	t.Helper()
	ev, stop := n.Subscribe(4096)
	defer stop()
	for {
		if v := n.Views(); cond(v) {
			return v
		}
		select {
		case _, ok := <-ev:
			if !ok {
				t.Fatalf("node closed waiting for %s", what)
			}
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s: digest %x, %d receipts, flags %v", what, n.Views().Digest(), len(n.Views().Lines()), n.Views().Flags())
		}
	}
}

func entry(t testing.TB, kind string, body protocol.Body) protocol.Entry {
	t.Helper()
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		t.Fatal(err)
	}
	return protocol.Entry{Kind: kind, District: district, Time: time.Now().UnixMilli(), Body: enc}
}

func publish(t testing.TB, ctx context.Context, n *Node, kind string, body protocol.Body) protocol.Block {
	t.Helper()
	b, err := n.Publish(ctx, entry(t, kind, body))
	if err != nil {
		t.Fatal(err)
	}
	return b.Block
}

func appendTo(t testing.TB, v *vault.Bolt, kind string, body protocol.Body) protocol.Block {
	t.Helper()
	b, err := v.Append(v.Key(), entry(t, kind, body))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func genesis(stewards []peer.ID, verifiers ...peer.ID) *settle.District {
	d := &settle.District{Name: district, Limits: map[string]uint64{unit: 1000}}
	for _, s := range stewards {
		d.Stewards = append(d.Stewards, []byte(s))
	}
	for _, v := range verifiers {
		d.Verifiers = append(d.Verifiers, []byte(v))
	}
	return d
}

func hltPledge(amount, cap uint64) *settle.Pledge {
	return &settle.Pledge{
		MIP: "MIP-HLT@1", District: district, Amount: amount, Unit: unit, Cap: cap,
		Where: []settle.Cond{{Field: "cohort_size", Op: ">=", Value: int64(100)}},
	}
}

// hltProof is a proof under the built-in MIP-HLT@1 example claim, told
// apart by n.
func hltProof(t testing.TB, n int) *protocol.Proof {
	m, _ := mip.Builtins().Lookup("MIP-HLT@1")
	claim := map[string]any{}
	for k, v := range m.Examples[0] {
		claim[k] = v
	}
	claim["cohort_size"] = int64(200 + n)
	root := sha256.Sum256([]byte(fmt.Sprint("evidence", n)))
	return &protocol.Proof{
		MIP: "MIP-HLT@1", Claim: claim,
		Evidence: protocol.Commitment{Root: root[:], Count: 1},
		Period:   protocol.Period{Start: 1, End: 2},
	}
}

func valid(proof cid.Cid) *protocol.Attest {
	return &protocol.Attest{Proof: protocol.LinkTo(proof), Verdict: protocol.Valid, Note: "checked"}
}

// receiptsFor counts the receipts of payer per proof paid.
func receiptsFor(v *Views, payer peer.ID) map[cid.Cid]int {
	out := map[cid.Cid]int{}
	for _, l := range v.Lines() {
		if l.Payer == payer && len(l.For) > 0 {
			out[l.For[0]]++
		}
	}
	return out
}

// TestSettleOnVerifiedOutcome: a steward creates the district with two
// verifiers, a funder pledges for MIP-HLT, a clinic publishes a proof, the
// verifiers attest valid; the funder's node pays by itself, and every
// peer ends with the same balances and ledger digest.
func TestSettleOnVerifiedOutcome(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	steward, funder, clinic := mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t))
	v1, v2 := mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t))
	all := []*Node{steward, funder, clinic, v1, v2}
	meshUp(t, ctx, mn, all...)

	publish(t, ctx, steward, settle.KindDistrict, genesis([]peer.ID{steward.ID()}, v1.ID(), v2.ID()))
	publish(t, ctx, funder, protocol.KindPledge, hltPledge(50, 500))
	proof := publish(t, ctx, clinic, protocol.KindProof, hltProof(t, 1))
	publish(t, ctx, v1, protocol.KindAttest, valid(proof.CID))
	publish(t, ctx, v2, protocol.KindAttest, valid(proof.CID))

	paid := until(t, ctx, funder, "the funder's receipt", func(v *Views) bool {
		return receiptsFor(v, funder.ID())[proof.CID] == 1
	})
	want := paid.Digest()
	for _, n := range all {
		// Entries of different authors arrive in any order: wait until the
		// peer holds the receipt's ledger and both attestations.
		v := until(t, ctx, n, "the funder's digest and both attestations", func(v *Views) bool {
			st, _ := v.Status(proof.CID)
			return v.Digest() == want && len(st.Attestations) == 2
		})
		st, _ := v.Status(proof.CID)
		if !st.Verified || st.Valid != 2 {
			t.Fatalf("%s: proof status %+v", n.ID(), st)
		}
		got := map[peer.ID]int64{}
		for _, b := range v.Balances() {
			got[b.Account] = b.Balance
		}
		if got[clinic.ID()] != 50 || got[funder.ID()] != -50 || len(got) != 2 {
			t.Fatalf("%s: balances %v", n.ID(), v.Balances())
		}
		if !v.Lines()[0].Covered {
			t.Fatalf("%s: receipt not covered within the district limit", n.ID())
		}
	}
	if s := funder.Settled(); s.Receipts != 1 || s.Err != nil {
		t.Fatalf("settler stats %+v", s)
	}
}

// TestPartitionFraud: a payer signs conflicting receipts on both sides of
// a partition; after heal every peer has the same ledger digest and the
// payer flagged, by fraud entries where the fork itself did not arrive.
func TestPartitionFraud(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	a, b, c, d := mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t))
	meshUp(t, ctx, mn, a, b)
	meshUp(t, ctx, mn, c, d)

	left := newVault(t)
	right, err := vault.CreateWithKey(filepath.Join(t.TempDir(), "twin.db"), left.Key(), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { right.Close() })
	payer := left.ID()
	// The payer's log has history every side has held for the follow age,
	// so every node follows it (a throwaway key gets no fraud entry).
	history := appendTo(t, left, protocol.KindAttest, valid(protocol.Sum([]byte("history"))))
	if _, err := right.Put(history); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*Node{a, b, c, d} {
		if _, err := n.Ingest(history); err != nil {
			t.Fatal(err)
		}
		advance(n, DefaultFollowAge)
	}
	r1 := appendTo(t, left, protocol.KindReceipt, &settle.Receipt{Payee: []byte(a.ID()), Amount: 10, Unit: unit})
	r2 := appendTo(t, right, protocol.KindReceipt, &settle.Receipt{Payee: []byte(c.ID()), Amount: 20, Unit: unit})
	if r1.Entry.Seq != r2.Entry.Seq {
		t.Fatal("twin vaults must sign the same seq")
	}
	for _, side := range []struct {
		n   *Node
		blk protocol.Block
	}{{a, r1}, {b, r1}, {c, r2}, {d, r2}} {
		if _, err := side.n.Ingest(side.blk); err != nil {
			t.Fatal(err)
		}
	}
	if a.Views().Digest() != b.Views().Digest() || a.Views().Digest() == c.Views().Digest() {
		t.Fatal("the sides should agree within and differ across")
	}
	if len(a.Views().Flags()) != 0 {
		t.Fatal("payer flagged before the sides met")
	}

	var evs []<-chan Event
	for _, n := range []*Node{a, b, c, d} {
		ev, stop := n.Subscribe(4096)
		t.Cleanup(stop)
		evs = append(evs, ev)
	}
	meshUp(t, ctx, mn, a, b, c, d) // heal
	flagged := func(v *Views) bool { return len(v.Flags()) == 1 && v.Flags()[0] == payer }
	want := until(t, ctx, b, "payer flagged", flagged).Digest()
	for _, n := range []*Node{a, b, c, d} {
		v := until(t, ctx, n, "payer flagged, same digest", func(v *Views) bool { return flagged(v) && v.Digest() == want })
		if len(v.Balances()) != 0 {
			t.Fatalf("flagged payer's receipts counted: %v", v.Balances())
		}
	}
	for _, ev := range evs {
		e := waitFor(t, ctx, ev, "a fraud entry", func(e Event) bool {
			s, ok := e.(Stored)
			return ok && s.Block.Entry.Kind == protocol.KindFraud
		}).(Stored)
		if _, err := settle.VerifyFraud(decodeFraud(t, e.Block)); err != nil {
			t.Fatal(err)
		}
	}
}

func decodeFraud(t testing.TB, b protocol.Block) *settle.Fraud {
	t.Helper()
	var f settle.Fraud
	if err := protocol.Unmarshal(b.Entry.Body, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// TestForgedFraudRejected: a fraud entry whose pair is no equivocation is
// rejected by the check at the edge and flags no one.
func TestForgedFraudRejected(t *testing.T) {
	n := mockNode(t, newMocknet(t), newVault(t))
	liar := newVault(t)
	r1 := appendTo(t, liar, protocol.KindReceipt, &settle.Receipt{Payee: []byte(n.ID()), Amount: 1, Unit: unit})
	r2 := appendTo(t, liar, protocol.KindReceipt, &settle.Receipt{Payee: []byte(n.ID()), Amount: 2, Unit: unit})
	e := entry(t, protocol.KindAttest, valid(r1.CID))      // a placeholder body, replaced below
	body, err := protocol.Marshal(settle.NewFraud(r1, r2)) // seq 1 and 2: no fork
	if err != nil {
		t.Fatal(err)
	}
	e.Kind, e.Body, e.Seq, e.Prev = protocol.KindFraud, body, 3, r2.CID
	forged, err := protocol.Sign(liar.Key(), e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Ingest(r1, r2, forged); err == nil {
		t.Fatal("forged fraud entry accepted")
	}
	if len(n.Views().Flags()) != 0 || n.Views().Entries() != 0 {
		t.Fatal("rejected input changed the views")
	}
}

// settleWorld is the material of a funder-only test: a district with the
// funder as steward and two verifiers, and proofs by a clinic, each
// attested valid by both verifiers, as blocks to deliver.
func settleWorld(t testing.TB, funder peer.ID, proofs int) (gen *settle.District, deliver []protocol.Block, paid []cid.Cid) {
	clinic, v1, v2 := newVault(t), newVault(t), newVault(t)
	gen = genesis([]peer.ID{funder}, v1.ID(), v2.ID())
	for i := range proofs {
		p := appendTo(t, clinic, protocol.KindProof, hltProof(t, i))
		paid = append(paid, p.CID)
		deliver = append(deliver, p,
			appendTo(t, v1, protocol.KindAttest, valid(p.CID)),
			appendTo(t, v2, protocol.KindAttest, valid(p.CID)))
	}
	return gen, deliver, paid
}

// TestSettleRestart: the funder's node is closed after each receipt it
// writes, in the middle of settling several verified proofs, and its
// vault reopened; in the end each proof is paid exactly once.
func TestSettleRestart(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	path := filepath.Join(t.TempDir(), "funder.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := mockNode(t, mn, v)
	id := n.ID()
	const proofs = 6
	gen, deliver, want := settleWorld(t, id, proofs)
	publish(t, ctx, n, settle.KindDistrict, gen)
	publish(t, ctx, n, protocol.KindPledge, hltPledge(10, 1000))
	n, restarts := payAcrossRestarts(t, ctx, mn, n, v, path, deliver, false, func(v *Views) bool { return len(receiptsFor(v, id)) == proofs })
	got := receiptsFor(n.Views(), id)
	for _, p := range want {
		if got[p] != 1 {
			t.Fatalf("proof %s paid %d times after %d restarts", p, got[p], restarts)
		}
	}
	if len(got) != proofs || restarts < 1 {
		t.Fatalf("%d proofs paid, %d restarts", len(got), restarts)
	}
	t.Logf("%d proofs paid once each across %d restarts", proofs, restarts)
}

// payAcrossRestarts delivers blocks to n (from a goroutine each when
// concurrent), and closes and reopens the node and its vault at path
// after each receipt n writes, until done holds of its views; it returns
// the node running at the end and the restarts between receipts.
func payAcrossRestarts(t *testing.T, ctx context.Context, mn mocknet.Mocknet, n *Node, v *vault.Bolt, path string,
	deliver []protocol.Block, concurrent bool, done func(*Views) bool) (*Node, int) {
	t.Helper()
	id, restarts := n.ID(), 0
	for {
		ev, stop := n.Subscribe(4096)
		if concurrent {
			var wg sync.WaitGroup
			for _, b := range deliver { // again after each restart: Known
				wg.Go(func() {
					if _, err := n.Ingest(b); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
		} else if _, err := n.Ingest(deliver...); err != nil { // again after each restart: Known
			t.Fatal(err)
		}
		finished := done(n.Views())
		if !finished {
			waitFor(t, ctx, ev, "a receipt", func(e Event) bool {
				s, ok := e.(Stored)
				return ok && s.Source == Local && s.Block.Entry.Kind == protocol.KindReceipt
			})
		}
		stop()
		if err := n.Close(); err != nil {
			t.Fatal(err)
		}
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
		var err error
		if v, err = vault.Open(path, vault.Options{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { v.Close() })
		n = restart(t, id, mn, v)
		if finished {
			return n, restarts
		}
		restarts++
	}
}

// TestSettleConcurrentCap: the same verified proofs delivered by many
// goroutines at once are paid once each, and never beyond the cap.
func TestSettleConcurrentCap(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	n := mockNode(t, newMocknet(t), newVault(t))
	gen, deliver, _ := settleWorld(t, n.ID(), 5)
	publish(t, ctx, n, settle.KindDistrict, gen)
	publish(t, ctx, n, protocol.KindPledge, hltPledge(10, 30)) // room for three
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, b := range deliver {
				if _, err := n.Ingest(b); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	v := until(t, ctx, n, "three receipts", func(v *Views) bool { return len(receiptsFor(v, n.ID())) == 3 })
	for p, k := range receiptsFor(v, n.ID()) {
		if k != 1 {
			t.Fatalf("proof %s paid %d times", p, k)
		}
	}
	// A further change plans again and finds the cap reached.
	publish(t, ctx, n, protocol.KindAttest, valid(deliver[0].CID))
	until(t, ctx, n, "a round after the cap", func(*Views) bool { return n.Settled().Err == nil })
	if s := n.Settled(); s.Receipts != 3 {
		t.Fatalf("settler wrote %d receipts under a cap of three", s.Receipts)
	}
}
