package node

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/vault"
)

// TestRestoredWaitsForPeer: a vault restored from a backup (marked
// restored) refuses to write its own log with one line and the remedy
// while no peer has confirmed its head: alone, and next to a peer that
// never heard of this identity. Connected to a peer that holds its
// entries, the next write continues the log after them and the mark is
// cleared.
func TestRestoredWaitsForPeer(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	h, va := newHome(t)
	a, b := nodeOver(t, va), peerNode(t)
	evB, stopB := b.Subscribe(256)
	defer stopB()
	connect(t, ctx, a, b)
	three := publishN(t, ctx, a, 3)
	waitFor(t, ctx, evB, "seq 3 on B", storedCID(three.CID))
	vc := h.copyTo(t)
	if err := vc.SetMark(vault.MarkRestored, time.Now()); err != nil {
		t.Fatal(err)
	}
	stopped(t, ctx, b, a)
	if _, err := vc.ForgetPeer(b.ID()); err != nil { // no redial of B: the test connects it
		t.Fatal(err)
	}

	c := nodeOver(t, vc)
	stranger := peerNode(t)
	for _, step := range []struct {
		name string
		do   func()
	}{{"alone", func() {}}, {"next to a stranger", func() { connect(t, ctx, c, stranger) }}} {
		step.do()
		_, err := c.Publish(ctx, attest(t, "too early"))
		if !errors.Is(err, ErrOwnLog) || !strings.Contains(err.Error(), "restored from a backup") || !strings.Contains(err.Error(), "--trust-head") {
			t.Fatalf("%s: publish on a restored vault: %v, want the restored refusal", step.name, err)
		}
		if hd, _ := vc.Head(c.ID()); hd.Seq != 3 {
			t.Fatalf("%s: the refused publish wrote: head %d", step.name, hd.Seq)
		}
	}
	connect(t, ctx, c, b)
	four, err := c.Publish(ctx, attest(t, "after the peer confirmed"))
	if err != nil {
		t.Fatalf("publish after a peer holding the log connected: %v", err)
	}
	if four.Entry.Seq != 4 || four.Entry.Prev != three.CID {
		t.Fatalf("wrote seq %d after %s, want 4 after %s", four.Entry.Seq, four.Entry.Prev, three.CID)
	}
	if r, err := vc.Restored(); r || err != nil {
		t.Fatalf("restored mark after confirmation: %v %v, want cleared", r, err)
	}
}
