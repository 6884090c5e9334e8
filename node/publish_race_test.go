package node

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/vault"
)

// slowAppend is a vault whose first armed Append, once its entry is
// stored, waits until someone reads the own head (or a second passes)
// before it returns: the moment between a write and its caller's record
// of it, held open.
type slowAppend struct {
	*vault.Bolt
	armed    atomic.Bool
	waiting  atomic.Bool
	inWindow chan struct{} // closed when the armed Append waits
	headed   chan struct{}
	once     sync.Once
}

func (s *slowAppend) Append(key crypto.PrivKey, e protocol.Entry) (protocol.Block, error) {
	b, err := s.Bolt.Append(key, e)
	if s.armed.CompareAndSwap(true, false) {
		s.waiting.Store(true)
		close(s.inWindow)
		select {
		case <-s.headed:
		case <-time.After(time.Second):
		}
	}
	return b, err
}

func (s *slowAppend) Head(a peer.ID) (storage.Head, error) {
	if s.waiting.Load() {
		s.once.Do(func() { close(s.headed) })
	}
	return s.Bolt.Head(a)
}

// now is an attestation entry signed now: later than the node's start,
// as the writes the own-log check judges are.
func now(t testing.TB, note string) protocol.Entry {
	e := attest(t, note)
	e.Time = time.Now().UnixMilli()
	return e
}

// TestConcurrentPublishesAreOwn: a write of the node's own log that
// reads the own head while another write of this node has stored its
// entry but not yet returned (the API and the settler write at once)
// takes that entry for the node's own, not for another process writing
// with the same identity.
func TestConcurrentPublishesAreOwn(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	n, v := slowNode(t, ctx)
	if _, err := n.Publish(ctx, now(t, "first")); err != nil && errors.Is(err, ErrOwnLog) {
		t.Fatal(err)
	}
	v.armed.Store(true)
	first := make(chan error, 1)
	go func() {
		_, err := n.Publish(ctx, now(t, "one"))
		first <- err
	}()
	select {
	case <-v.inWindow:
	case <-ctx.Done():
		t.Fatal("the armed write never stored its entry")
	}
	// Now one entry is stored and its write has not returned.
	_, err2 := n.Publish(ctx, now(t, "two"))
	if err := err2; errors.Is(err, ErrOwnLog) {
		t.Errorf("the write during another: %v", err)
	}
	if err := <-first; errors.Is(err, ErrOwnLog) {
		t.Errorf("the held write: %v", err)
	}
}

// TestOwnLogCheckDuringWrite: the own-log check that status and the
// daemon's watcher run at any time (OwnLogErr), run while a write of this
// node has stored its entry but not recorded it, takes that entry for the
// node's own: it reported "another process holds this identity", and
// every later write was refused.
func TestOwnLogCheckDuringWrite(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	n, v := slowNode(t, ctx)
	if _, err := n.Publish(ctx, now(t, "first")); err != nil {
		t.Fatal(err)
	}
	v.armed.Store(true)
	done := make(chan error, 1)
	go func() {
		_, err := n.Publish(ctx, now(t, "held"))
		done <- err
	}()
	select {
	case <-v.inWindow:
	case <-ctx.Done():
		t.Fatal("the armed write never stored its entry")
	}
	if err := n.OwnLogErr(); err != nil { // reads the head: the held write goes on
		t.Errorf("the check during a write: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := n.OwnLogErr(); err != nil {
		t.Errorf("the check after the write: %v", err)
	}
	if _, err := n.Publish(ctx, now(t, "after")); err != nil {
		t.Errorf("a write after: %v", err)
	}
}

// slowNode starts a node over a slowAppend vault.
func slowNode(t *testing.T, ctx context.Context) (*Node, *slowAppend) {
	t.Helper()
	v := &slowAppend{Bolt: newVault(t), headed: make(chan struct{}), inWindow: make(chan struct{})}
	n, err := New(ctx, Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true}, v)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n, v
}
