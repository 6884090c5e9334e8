package node

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"go.uber.org/goleak"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const district = "meso-valley/north"

func loopback() []ma.Multiaddr { return []ma.Multiaddr{ma.StringCast("/ip4/127.0.0.1/tcp/0")} }

func newVault(t testing.TB) *vault.Bolt {
	t.Helper()
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

// peerNode starts a node on loopback TCP following district.
func peerNode(t testing.TB, opts ...Option) *Node {
	t.Helper()
	cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true}
	n, err := New(context.Background(), cfg, newVault(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// attest returns an attest entry body naming some proof CID.
func attest(t testing.TB, note string) protocol.Entry {
	t.Helper()
	body, err := protocol.EncodeBody(&protocol.Attest{
		Proof: protocol.LinkTo(protocol.Sum([]byte(note))), Verdict: protocol.Valid, Note: note,
	})
	if err != nil {
		t.Fatal(err)
	}
	return protocol.Entry{Kind: protocol.KindAttest, District: district, Time: 1, Body: body}
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitFor reads events until match returns true.
func waitFor(t testing.TB, ctx context.Context, ev <-chan Event, what string, match func(Event) bool) Event {
	t.Helper()
	for {
		select {
		case e, ok := <-ev:
			if !ok {
				t.Fatalf("events closed waiting for %s", what)
			}
			if match(e) {
				return e
			}
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func storedCID(c interface{ String() string }) func(Event) bool {
	return func(e Event) bool {
		s, ok := e.(Stored)
		return ok && s.Block.CID.String() == c.String()
	}
}

func topicJoined(p peer.ID) func(Event) bool {
	return func(e Event) bool {
		tp, ok := e.(TopicPeer)
		return ok && tp.Peer == p && tp.Joined
	}
}

func connect(t testing.TB, ctx context.Context, a, b *Node) {
	t.Helper()
	if err := a.Connect(ctx, b.AddrInfo()); err != nil {
		t.Fatal(err)
	}
}

// TestLine: A-B-C on loopback TCP, A and C never connected; an entry
// published on A is stored on C.
func TestLine(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	a, b, c := peerNode(t), peerNode(t), peerNode(t)
	evA, stopA := a.Subscribe(256)
	defer stopA()
	evB, stopB := b.Subscribe(256)
	defer stopB()
	evC, stopC := c.Subscribe(256)
	defer stopC()
	connect(t, ctx, a, b)
	connect(t, ctx, c, b)
	waitFor(t, ctx, evA, "B on A's topic", topicJoined(b.ID()))
	waitFor(t, ctx, evC, "B on C's topic", topicJoined(b.ID()))
	waitFor(t, ctx, evB, "C on B's topic", topicJoined(c.ID()))

	blk, err := a.Publish(ctx, attest(t, "first"))
	if err != nil {
		t.Fatal(err)
	}
	e := waitFor(t, ctx, evC, "entry on C", storedCID(blk.CID)).(Stored)
	if e.Result.Status != vault.New {
		t.Fatalf("C stored with status %s", e.Result.Status)
	}
	for _, p := range c.Peers() {
		if p.ID == a.ID() {
			t.Fatal("A and C connected directly")
		}
	}
	got, err := c.store.Get(blk.CID)
	if err != nil || string(got.Data) != string(blk.Data) {
		t.Fatalf("C holds %v, %v", got.CID, err)
	}
}

func TestConfig(t *testing.T) {
	v := newVault(t)
	for _, cfg := range []Config{
		{ConnLow: 50, ConnHigh: 10},
		{SyncInterval: time.Millisecond},
		{Districts: []string{"Bad District"}},
	} {
		if _, err := New(context.Background(), cfg, v); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
	n, err := New(context.Background(), Config{Listen: loopback(), NoPortMap: true}, v)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Addrs()) == 0 || n.Reachability() == "" {
		t.Fatal("no addresses or reachability")
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if _, err := n.Publish(context.Background(), attest(t, "late")); err == nil {
		t.Fatal("publish after close")
	}
}

// waitJoined waits until all peers joined the district topic.
func waitJoined(t testing.TB, ctx context.Context, ev <-chan Event, peers ...peer.ID) {
	t.Helper()
	want := map[peer.ID]bool{}
	for _, p := range peers {
		want[p] = true
	}
	waitFor(t, ctx, ev, "topic peers", func(e Event) bool {
		if tp, ok := e.(TopicPeer); ok && tp.Joined {
			delete(want, tp.Peer)
		}
		return len(want) == 0
	})
}
