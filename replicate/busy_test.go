package replicate

import (
	"bufio"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/protocol"

	mycel "github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// ordered returns two peers, the one with the lower peer ID first.
func ordered(t *testing.T) (lo, hi *peerT) {
	a, b := newPeer(t), newPeer(t)
	if b.h.ID() < a.h.ID() {
		a, b = b, a
	}
	connect(t, a.h, b.h)
	return a, b
}

// holdSession starts a sync from lo to hi whose check on holder stops at
// the first block received, and returns once it is held there. Closing
// release lets it go on; done yields its result.
func holdSession(t *testing.T, lo, hi, holder *peerT) (ctx context.Context, release chan struct{}, done chan error) {
	holding := make(chan struct{})
	release = make(chan struct{})
	var first sync.Once
	holder.svc.cfg.Check = func(mycel.Block) mycel.Verdict {
		first.Do(func() {
			close(holding)
			<-release
		})
		return mycel.Accepted
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	done = make(chan error, 1)
	go func() { _, err := lo.svc.Sync(ctx, hi.h.ID()); done <- err }()
	<-holding
	return ctx, release, done
}

// TestNoSecondSessionWhileAnswering: while hi answers a session lo
// started, hi's own Sync with lo returns ErrBusy at once, and the one
// session carries everything both ways.
func TestNoSecondSessionWhileAnswering(t *testing.T) {
	lo, hi := ordered(t)
	publish(t, lo.v, vaulttest.NewAuthor(t), 50)
	publish(t, hi.v, vaulttest.NewAuthor(t), 50)

	// hi's check holds the session open on the first block it receives.
	ctx, release, done := holdSession(t, lo, hi, hi)
	if _, err := hi.svc.Sync(ctx, lo.h.ID()); !errors.Is(err, ErrBusy) {
		t.Fatalf("second session while answering: %v, want ErrBusy", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if digestOf(t, lo.v) != digestOf(t, hi.v) || count(t, lo.v) != 100 {
		t.Fatalf("after one session: %d entries on lo, digests differ: %v", count(t, lo.v), digestOf(t, lo.v) != digestOf(t, hi.v))
	}
}

// TestLowerPeerKeepsItsSession: a session that arrives while the lower
// peer runs its own with the sender is refused with the busy code.
func TestLowerPeerKeepsItsSession(t *testing.T) {
	lo, hi := ordered(t)
	publish(t, hi.v, vaulttest.NewAuthor(t), 10)
	ctx, release, done := holdSession(t, lo, hi, lo)

	// hi's session, as if started at the same moment as lo's.
	st, err := hi.h.NewStream(ctx, lo.h.ID(), protocol.ID(SyncProtocol))
	if err != nil {
		t.Fatal(err)
	}
	var m message
	if err := readMsg(bufio.NewReader(st), &m); err != nil || m.E == nil || Code(m.E.C) != CodeBusy {
		t.Fatalf("lo answered %+v, %v; want the busy code", m.E, err)
	}
	st.Reset()
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if count(t, lo.v) != 10 {
		t.Fatalf("lo holds %d entries, want 10", count(t, lo.v))
	}
}
