package node

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// home is a vault file that tests copy as `cp -a` would.
type home struct{ path string }

func newHome(t testing.TB) (home, *vault.Bolt) {
	t.Helper()
	h := home{filepath.Join(t.TempDir(), "vault.db")}
	v, err := vault.Create(h.path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return h, v
}

// copyTo copies the vault file while its owner may still have it open,
// and opens the copy.
func (h home) copyTo(t testing.TB) *vault.Bolt {
	t.Helper()
	data, err := os.ReadFile(h.path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "vault.db")
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := vault.Open(dst, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func nodeOver(t testing.TB, v *vault.Bolt, opts ...Option) *Node {
	t.Helper()
	cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true}
	n, err := New(context.Background(), cfg, v, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func publishN(t testing.TB, ctx context.Context, n *Node, count int) protocol.Block {
	t.Helper()
	var b protocol.Block
	for i := range count {
		e := attest(t, n.ID().String()+string(rune('a'+i)))
		e.Time = 0 // now, as the API writes
		p, err := n.Publish(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		b = p.Block
	}
	return b
}

// stopped closes a and waits until b has seen its connection close (a
// copy of a may still be connected to b under the same peer ID).
func stopped(t testing.TB, ctx context.Context, b, a *Node) {
	t.Helper()
	gone := make(chan struct{}, 1)
	nb := &network.NotifyBundle{DisconnectedF: func(_ network.Network, c network.Conn) {
		if c.RemotePeer() == a.ID() {
			select {
			case gone <- struct{}{}:
			default:
			}
		}
	}}
	b.host.Network().Notify(nb)
	defer b.host.Network().StopNotify(nb)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-gone:
	case <-ctx.Done():
		t.Fatal("timed out waiting for the stopped node's connection to close")
	}
}

// pushTo runs a sync round of a with b that starts now, after any
// round already running.
func pushTo(t testing.TB, ctx context.Context, a, b *Node) {
	t.Helper()
	ev, stop := a.Subscribe(256)
	defer stop()
	for {
		_, err := a.SyncNow(ctx, b.ID())
		if !errors.Is(err, ErrSyncBusy) {
			if err != nil {
				t.Fatal(err)
			}
			return
		}
		waitFor(t, ctx, ev, "the running round to end", func(e Event) bool {
			d, ok := e.(SyncDone)
			return ok && d.Peer == b.ID()
		})
	}
}

func noFork(t testing.TB, n *Node, author peer.ID) {
	t.Helper()
	if slices.Contains(n.Views().Flags(), author) {
		t.Fatalf("%s flags %s", n.ID(), author)
	}
}

// TestCopiedHomeContinues: a home copied after seq 1..3 while its node
// ran; the original writes seq 4, which a peer holds, and stops; the copy
// starts connected to that peer (or with it as bootstrap peer, writing at
// once before it is connected): its first write is seq 5, after seq 4,
// and no peer sees a fork.
func TestCopiedHomeContinues(t *testing.T) {
	for _, boot := range []bool{false, true} {
		t.Run(map[bool]string{false: "connected", true: "bootstrap"}[boot], func(t *testing.T) { copiedHome(t, boot) })
	}
}

func copiedHome(t *testing.T, boot bool) {
	ctx := ctxT(t, 30*time.Second)
	h, va := newHome(t)
	a, b := nodeOver(t, va), peerNode(t)
	evB, stopB := b.Subscribe(256)
	defer stopB()
	connect(t, ctx, a, b)
	publishN(t, ctx, a, 3)
	vc := h.copyTo(t)
	four := publishN(t, ctx, a, 1)
	waitFor(t, ctx, evB, "seq 4 on B", storedCID(four.CID))
	stopped(t, ctx, b, a)

	var c *Node
	if boot {
		cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true, Bootstrap: []peer.AddrInfo{b.AddrInfo()}}
		n, err := New(context.Background(), cfg, vc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		c = n
	} else {
		c = nodeOver(t, vc)
		connect(t, ctx, c, b)
	}
	// B's gossip may hold back a peer ID that just left (prune backoff),
	// so the block may be stored and not gossiped: sync carries it.
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	five, err := c.Publish(pctx, attest(t, "after restore"))
	if !five.CID.Defined() {
		t.Fatalf("copy's first publish: %v", err)
	}
	pushTo(t, ctx, c, b)
	if five.Entry.Seq != 5 || five.Entry.Prev != four.CID {
		t.Fatalf("copy wrote seq %d after %s, want 5 after seq 4 %s", five.Entry.Seq, five.Entry.Prev, four.CID)
	}
	e := waitFor(t, ctx, evB, "seq 5 on B", storedCID(five.CID)).(Stored)
	if e.Result.Status != vault.New {
		t.Fatalf("B stored seq 5 as %s", e.Result.Status)
	}
	noFork(t, b, c.ID())
}

// TestFlaggedOwnAuthorRefuses: a node holding a fork of its own author
// refuses to write, with one line naming the problem and the remedy.
func TestFlaggedOwnAuthorRefuses(t *testing.T) {
	ctx := ctxT(t, 10*time.Second)
	v := newVault(t)
	n := nodeOver(t, v)
	one := signed(t, v.Key(), protocol.Entry{Kind: protocol.KindAttest, District: district, Seq: 1, Time: 1, Body: attest(t, "one").Body})
	other := signed(t, v.Key(), protocol.Entry{Kind: protocol.KindAttest, District: district, Seq: 1, Time: 1, Body: attest(t, "other").Body})
	if _, err := n.Ingest(one, other); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(n.Views().Flags(), n.ID()) {
		t.Fatal("own fork does not flag the node")
	}
	_, err := n.Publish(ctx, attest(t, "third"))
	if !errors.Is(err, ErrOwnLog) {
		t.Fatalf("publish with own author flagged: %v, want ErrOwnLog", err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "forked") || !strings.Contains(msg, "new identity") {
		t.Fatalf("error %q: want one line naming the fork and the remedy", msg)
	}
	if !errors.Is(n.OwnLogErr(), ErrOwnLog) {
		t.Fatalf("OwnLogErr: %v", n.OwnLogErr())
	}
	if h, _ := v.Head(n.ID()); h.Seq != 1 {
		t.Fatalf("own head %d after refusal, want 1", h.Seq)
	}
}

// TestOfflinePublishesAtOnce: with no peer, the first write does not wait.
func TestOfflinePublishesAtOnce(t *testing.T) {
	ctx := ctxT(t, 10*time.Second)
	n := peerNode(t)
	start := time.Now()
	if _, err := n.Publish(ctx, attest(t, "alone")); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("offline first publish took %v", d)
	}
}

// TestSilentPeerBoundsWait: a connected peer that takes head requests and
// never answers holds the first write for the wait, not longer.
func TestSilentPeerBoundsWait(t *testing.T) {
	ctx := ctxT(t, 20*time.Second)
	mute, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mute.Close() })
	held := make(chan network.Stream, 4)
	mute.SetStreamHandler(headProtocol, func(s network.Stream) {
		_, _ = bufio.NewReader(s).Peek(1)
		held <- s // never answered
	})
	n := peerNode(t, WithOwnHeadWait(500*time.Millisecond))
	if err := n.Connect(ctx, peer.AddrInfo{ID: mute.ID(), Addrs: mute.Addrs()}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := n.Publish(ctx, attest(t, "waited")); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 400*time.Millisecond || d > 3*time.Second {
		t.Fatalf("first publish with a silent peer took %v, want about the 500 ms wait", d)
	}
}

// TestTwinSecondRefuses: two nodes of one identity online at once, both
// connected to B: the second to ask B refuses to write; the first goes
// on and writes again; once the first stops and the second restarts,
// the second writes after the first's entries.
func TestTwinSecondRefuses(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	h, va := newHome(t)
	a, b := nodeOver(t, va), peerNode(t)
	evB, stopB := b.Subscribe(256)
	defer stopB()
	connect(t, ctx, a, b)
	publishN(t, ctx, a, 2)
	vc := h.copyTo(t)
	c := nodeOver(t, vc)
	connect(t, ctx, c, b)
	_, err := c.Publish(ctx, attest(t, "twin"))
	if !errors.Is(err, ErrOwnLog) || !strings.Contains(err.Error(), "another process") {
		t.Fatalf("second daemon's publish: %v, want the other-process refusal", err)
	}
	last := publishN(t, ctx, a, 1)
	// B holds two connections of one peer ID: its gossip talks to one of
	// them, so A's entry goes by a sync A starts.
	pushTo(t, ctx, a, b)
	waitFor(t, ctx, evB, "A's seq 3 on B", storedCID(last.CID))
	stopped(t, ctx, b, a)
	if _, err := c.Publish(ctx, attest(t, "seen the other write")); !errors.Is(err, ErrOwnLog) {
		t.Fatalf("publish after the other wrote: %v, want ErrOwnLog until restart", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = nodeOver(t, vc)
	connect(t, ctx, c, b)
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	next, err := c.Publish(pctx, attest(t, "alone now"))
	if !next.CID.Defined() {
		t.Fatalf("publish after restart: %v", err)
	}
	if next.Entry.Seq != 4 || next.Entry.Prev != last.CID {
		t.Fatalf("wrote seq %d, want 4 after %s", next.Entry.Seq, last.CID)
	}
}

// TestTwinWriteStopsOther: two nodes of one identity with no common
// peer (A-B-D-C): A writes after C started; once C holds that entry, C
// refuses to write.
func TestTwinWriteStopsOther(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	h, va := newHome(t)
	a, b, d := nodeOver(t, va), peerNode(t), peerNode(t)
	publishN(t, ctx, a, 1)
	c := nodeOver(t, h.copyTo(t))
	evC, stopC := c.Subscribe(256)
	defer stopC()
	connect(t, ctx, a, b)
	connect(t, ctx, b, d)
	connect(t, ctx, c, d)
	two := publishN(t, ctx, a, 1)
	waitFor(t, ctx, evC, "A's seq 2 on C", storedCID(two.CID))
	_, err := c.Publish(ctx, attest(t, "twin"))
	if !errors.Is(err, ErrOwnLog) || !strings.Contains(err.Error(), "wrote seq 2") {
		t.Fatalf("publish after the twin wrote: %v, want the other-process refusal", err)
	}
	noFork(t, d, a.ID())
}
