package node

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestPublishUnsent: an entry gossip does not take (its context ended
// before pubsub took the message) is stored and returned with its
// Unsent reason and no error; a live context sends it.
func TestPublishUnsent(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	n := peerNode(t)
	sent, err := n.Publish(ctx, attest(t, "sent"))
	if err != nil || !sent.Sent() {
		t.Fatalf("publish with a live context: %v, unsent %v", err, sent.Unsent)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	// pubsub picks at random between taking the message and the ended
	// context: some of these tries are sent, the rest must be unsent.
	for i := range 64 {
		p, err := n.Publish(done, attest(t, "try "+string(rune('a'+i))))
		if err != nil {
			t.Fatalf("try %d: an error with a stored block: %v", i, err)
		}
		if _, err := n.store.Get(p.CID); err != nil {
			t.Fatalf("try %d: the published block is not stored: %v", i, err)
		}
		if p.Sent() {
			continue
		}
		if !errors.Is(p.Unsent, context.Canceled) {
			t.Fatalf("unsent for another reason: %v", p.Unsent)
		}
		return
	}
	t.Fatal("64 publications with an ended context were all sent")
}
