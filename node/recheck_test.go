package node

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
)

// TestLostGossipCopyArrives: b drops the gossip copy of a's entry (as a
// full send queue or a failed store would lose it on a mesh link);
// gossipsub never offers it to b again, since b is in a's mesh. The
// round a kicks after publishing brings it within one hop's bound, not
// at the 30 s sync interval.
func TestLostGossipCopyArrives(t *testing.T) {
	meshA := grafts{ch: make(chan peer.ID, 16)}
	a := lineNode(t, WithPubSub(pubsub.WithRawTracer(meshA)))
	var dropped atomic.Int64
	b := lineNode(t, WithGossipFaults(func(peer.ID) int { dropped.Add(1); return 0 }))
	defer func() { _, _ = a.Close(), b.Close() }()
	a.syncs.unkicked.Store(true) // no kicks from connect, topic join or graft
	b.syncs.unkicked.Store(true)
	evA, stopA := a.Subscribe(256)
	defer stopA()
	evB, stop := b.Subscribe(256)
	defer stop()
	ctx := ctxT(t, 30*time.Second)
	connect(t, ctx, a, b)
	firstRound(t, ctx, evA, evB) // the round a connect starts, before the entry exists
	select {
	case <-meshA.ch:
	case <-ctx.Done():
		t.Fatal("b never grafted on a's mesh")
	}
	start := time.Now()
	blk, err := a.Publish(ctx, attest(t, "lost on the way"))
	if err != nil {
		t.Fatal(err)
	}
	got := arrival(ctx, evB, blk.CID, start, 3*hopBound)
	if got > hopBound {
		t.Fatalf("b stored the entry whose gossip copy it lost after %s (dropped %d copies), want within %s", got, dropped.Load(), hopBound)
	}
	if dropped.Load() == 0 {
		t.Fatal("the gossip copy was never dropped: the test proves nothing")
	}
}

// firstRound waits until a round between the two nodes ended on either
// side (the other side's attempt may have met it as busy).
func firstRound(t *testing.T, ctx context.Context, evA, evB <-chan Event) {
	t.Helper()
	for {
		var e Event
		select {
		case e = <-evA:
		case e = <-evB:
		case <-ctx.Done():
			t.Fatal("no sync round after connecting")
		}
		if _, ok := e.(SyncDone); ok {
			return
		}
	}
}
