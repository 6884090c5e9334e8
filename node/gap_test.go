package node

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/gossip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// TestGapRepairedBySync: B misses A's first entry (it never went out on
// gossip) and receives the second, which lands past a gap: B stores it as
// pending, ignores it on gossip, and syncs with the sender at once instead
// of waiting for the periodic round.
func TestGapRepairedBySync(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	start := func() *Node {
		cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true, SyncInterval: time.Hour}
		n, err := New(context.Background(), cfg, newVault(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	a, b := start(), start()
	// The entry kept off gossip would reach B by the round a graft or a
	// topic join kicks: this test is about the gap's own trigger.
	a.syncs.unkicked.Store(true)
	b.syncs.unkicked.Store(true)
	evA, stopA := a.Subscribe(256)
	defer stopA()
	evB, stopB := b.Subscribe(256)
	defer stopB()
	connect(t, ctx, a, b)
	waitReady(t, ctx, a, b, evA, evB)

	first, err := a.store.Append(a.key, attest(t, "kept off gossip"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.Publish(ctx, attest(t, "gossiped"))
	if err != nil {
		t.Fatal(err)
	}
	e := waitFor(t, ctx, evB, "second entry on B", storedCID(second.CID)).(Stored)
	if e.Result.Status != vault.Pending {
		t.Fatalf("second entry stored as %s, want pending", e.Result.Status)
	}
	r := waitFor(t, ctx, evB, "the gap reported", func(e Event) bool { _, ok := e.(Rejected); return ok }).(Rejected)
	if r.Verdict.Outcome != protocol.Ignore || !errors.Is(r.Verdict.Reason, gossip.ErrGap) || r.From != a.ID() {
		t.Fatalf("gap reported as %+v, want Ignore with ErrGap from A", r)
	}
	got := waitFor(t, ctx, evB, "first entry on B", storedCID(first.CID)).(Stored)
	if got.Source != Sync {
		t.Fatalf("first entry came by %s, want sync", got.Source)
	}
	if h, _ := b.store.Head(a.ID()); h.Seq != 2 {
		t.Fatalf("B's head of A is seq %d, want 2 (the gap filled)", h.Seq)
	}
}

// waitReady waits until two connected nodes see each other on the
// district's topic and both have identified the other (each starts a
// sync round then), and then until neither runs a round with the other:
// from there on, only what the test does moves entries between them.
func waitReady(t testing.TB, ctx context.Context, a, b *Node, evA, evB <-chan Event) {
	t.Helper()
	joinedA, joinedB, knownA, knownB := false, false, false, false
	note := func(e Event, other peer.ID, joined, known *bool) {
		switch e := e.(type) {
		case TopicPeer:
			*joined = *joined || (e.Joined && e.Peer == other)
		case PeerRemembered: // raised as identify starts the round
			*known = *known || e.Peer == other
		}
	}
	for !(joinedA && joinedB && knownA && knownB) {
		select {
		case e := <-evA:
			note(e, b.ID(), &joinedA, &knownA)
		case e := <-evB:
			note(e, a.ID(), &joinedB, &knownB)
		case <-ctx.Done():
			t.Fatalf("timed out: joined %v/%v, identified %v/%v", joinedA, joinedB, knownA, knownB)
		}
	}
	quiesce(t, ctx, a, b.ID())
	quiesce(t, ctx, b, a.ID())
}

// quiesce runs one round of n with p once n runs none, so that the round
// identify started has ended. A round that meets the peer's own session
// ends without an event, so the wait retries on a tick, bounded by ctx.
func quiesce(t testing.TB, ctx context.Context, n *Node, p peer.ID) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := n.SyncNow(ctx, p); !errors.Is(err, ErrSyncBusy) {
			return
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal("a sync round never ended")
		}
	}
}
