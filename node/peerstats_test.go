package node

import (
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// connInfo returns a's view of p; it fails the test if p is not connected.
func connInfo(t testing.TB, a *Node, p peer.ID) PeerInfo {
	t.Helper()
	for _, info := range a.Peers() {
		if info.ID == p {
			return info
		}
	}
	t.Fatalf("%s not connected", p)
	return PeerInfo{}
}

// TestLastSeenMovesOnSyncEntry: entries that arrive by sync from a peer
// move its LastSeen and LastEntry past the connect time, and the round is
// recorded as its LastSync, in sync.
func TestLastSeenMovesOnSyncEntry(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	a, b := peerNode(t), peerNode(t)
	evA, stop := a.Subscribe(256)
	defer stop()
	connect(t, ctx, a, b)
	waitFor(t, ctx, evA, "first round", func(e Event) bool { d, ok := e.(SyncDone); return ok && d.Peer == b.ID() })
	before := connInfo(t, a, b.ID())
	if !before.LastEntry.IsZero() {
		t.Fatalf("LastEntry %v before any entry", before.LastEntry)
	}
	blk, err := b.store.Append(b.key, attest(t, "held by B only"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SyncNow(ctx, b.ID()); err != nil && !errors.Is(err, ErrSyncBusy) {
		t.Fatal(err)
	}
	waitFor(t, ctx, evA, "entry by sync", func(e Event) bool {
		s, ok := e.(Stored)
		return ok && s.Block.CID == blk.CID && s.Source == Sync
	})
	after := connInfo(t, a, b.ID())
	if !after.LastSeen.After(before.LastSeen) {
		t.Fatalf("LastSeen %v did not move past %v", after.LastSeen, before.LastSeen)
	}
	if !after.LastEntry.After(before.LastSeen) {
		t.Fatalf("LastEntry %v, want after %v", after.LastEntry, before.LastSeen)
	}
	if after.LastSync.At.IsZero() || !after.LastSync.InSync() {
		t.Fatalf("LastSync %+v, want a round in sync", after.LastSync)
	}
}

// TestClockSkewFromEntries: a peer whose own entries, sent by itself, are
// dated ten minutes ahead reads as a clock ten minutes ahead.
func TestClockSkewFromEntries(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	a, b := peerNode(t), peerNode(t)
	evA, stopA := a.Subscribe(256)
	defer stopA()
	evB, stopB := b.Subscribe(256)
	defer stopB()
	connect(t, ctx, a, b)
	waitJoined(t, ctx, evA, b.ID())
	waitJoined(t, ctx, evB, a.ID())
	e := attest(t, "from the future")
	e.Time = time.Now().Add(10 * time.Minute).UnixMilli()
	blk, err := b.Publish(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	got := waitFor(t, ctx, evA, "gossiped entry", func(e Event) bool {
		s, ok := e.(Stored)
		return ok && s.Block.CID == blk.CID
	}).(Stored)
	t.Logf("source %v from %v", got.Source, got.From)
	info := connInfo(t, a, b.ID())
	if !info.SkewKnown || info.ClockSkew < 9*time.Minute || info.ClockSkew > 11*time.Minute {
		t.Fatalf("skew %v (known %v), want about +10m", info.ClockSkew, info.SkewKnown)
	}
}
