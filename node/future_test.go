package node

import (
	"errors"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

// TestFutureEntryIgnored: a plain libp2p host gossips to B an entry from a
// throwaway key dated past year 9999. B ignores it (ErrFuture, not
// stored), so C behind B never gets it; an entry dated within the window
// from the same host is stored by B and forwarded to C.
func TestFutureEntryIgnored(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	b, c := peerNode(t), peerNode(t)
	evB, stopB := b.Subscribe(1024)
	defer stopB()
	evC, stopC := c.Subscribe(1024)
	defer stopC()
	connect(t, ctx, c, b)
	waitJoined(t, ctx, evB, c.ID())
	h := newHostile(t, ctx, b, evB)

	far := attest(t, "year 10000")
	far.Time = time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC).UnixMilli()
	bad := signed(t, newKey(t), far)
	if err := h.topic.Publish(ctx, bad.Data, pubsub.WithReadiness(pubsub.MinTopicSize(1))); err != nil {
		t.Fatal(err)
	}
	e := waitFor(t, ctx, evB, "B ignores the future entry", func(e Event) bool {
		if s, ok := e.(Stored); ok && s.Block.CID == bad.CID {
			t.Fatal("B stored an entry dated year 10000")
		}
		r, ok := e.(Rejected)
		return ok && r.From == h.id
	}).(Rejected)
	if e.Verdict.Outcome != protocol.Ignore || !errors.Is(e.Verdict.Reason, protocol.ErrFuture) {
		t.Fatalf("verdict %v: %v, want ignore: %v", e.Verdict.Outcome, e.Verdict.Reason, protocol.ErrFuture)
	}

	near := attest(t, "an hour ahead")
	near.Time = time.Now().Add(time.Hour).UnixMilli()
	good := signed(t, newKey(t), near)
	if err := h.topic.Publish(ctx, good.Data, pubsub.WithReadiness(pubsub.MinTopicSize(1))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, evC, "C stores the entry within the window", func(e Event) bool {
		if s, ok := e.(Stored); ok && s.Block.CID == bad.CID {
			t.Fatal("C got the entry dated year 10000")
		}
		return storedCID(good.CID)(e)
	})
	for name, n := range map[string]*Node{"B": b, "C": c} {
		if _, err := n.store.Get(bad.CID); err == nil {
			t.Fatalf("%s holds the entry dated year 10000", name)
		}
	}
}

// TestCheckWindow: the kernel check judges entry times against its clock.
func TestCheckWindow(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	check := checkAt(mip.Builtins(), func() time.Time { return now })
	key := newKey(t)
	for _, c := range []struct {
		ahead time.Duration
		want  protocol.Outcome
	}{
		{0, protocol.Accept},
		{protocol.MaxFuture, protocol.Accept},
		{protocol.MaxFuture + time.Millisecond, protocol.Ignore},
		{24 * time.Hour, protocol.Ignore},
	} {
		e := attest(t, "window")
		e.Time = now.Add(c.ahead).UnixMilli()
		v := check(signed(t, key, e))
		if v.Outcome != c.want || (v.Outcome == protocol.Ignore && !errors.Is(v.Reason, protocol.ErrFuture)) {
			t.Errorf("%v ahead: %v %v, want %v", c.ahead, v.Outcome, v.Reason, c.want)
		}
	}
}
