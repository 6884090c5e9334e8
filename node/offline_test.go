package node

import (
	"bytes"
	"sync/atomic"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// publishCounter counts the messages a pubsub instance publishes itself.
type publishCounter struct{ n atomic.Int64 }

func (c *publishCounter) Trace(e *pb.TraceEvent) {
	if e.GetType() == pb.TraceEvent_PUBLISH_MESSAGE {
		c.n.Add(1)
	}
}

// mixedBundle returns a bundle of five good attestations by one author,
// one attestation with a body that is not an attest body (rejected) by a
// second, and one entry of a kind no one knows (ignored) by a third.
func mixedBundle(t testing.TB) ([]byte, []protocol.Block) {
	t.Helper()
	src := newVault(t)
	good := vaulttest.NewAuthor(t)
	var blocks []protocol.Block
	for i := range 5 {
		blocks = append(blocks, good.Next(t, protocol.KindAttest, district, attest(t, string(rune('a'+i))).Body))
	}
	bad := vaulttest.NewAuthor(t).Next(t, protocol.KindAttest, district, vaulttest.Body(t, 1, "not an attest"))
	unknown := vaulttest.NewAuthor(t).Next(t, "future-kind", district, nil)
	if _, err := src.Put(append(blocks, bad, unknown)...); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := bundle.Export(&buf, src, bundle.Filter{}, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), blocks
}

// TestImport: a bundle goes in through the node's check, raises Stored and
// Rejected events with Source Import, gossips nothing, and is idempotent.
func TestImport(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	var pubs publishCounter
	a := peerNode(t, WithPubSub(pubsub.WithEventTracer(&pubs)))
	ev, stop := a.Subscribe(64)
	defer stop()
	file, good := mixedBundle(t)

	rep, err := a.Import(bytes.NewReader(file), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The entry of an unknown kind is stored: it holds its place in its
	// author's log (PROTOCOL §3.7).
	if rep.New != 6 || rep.Rejected != 1 || rep.Ignored != 0 || rep.Known != 0 || rep.Damaged != "" {
		t.Fatalf("report %+v", rep)
	}
	stored, rejected := 0, 0
	for stored < 6 || rejected < 1 {
		switch e := waitFor(t, ctx, ev, "import events", func(Event) bool { return true }).(type) {
		case Stored:
			if e.Source != Import || e.Result.Status != vault.New {
				t.Fatalf("stored event %v %v", e.Source, e.Result.Status)
			}
			stored++
		case Rejected:
			if e.Source != Import {
				t.Fatalf("rejected event from %v", e.Source)
			}
			rejected++
		}
	}
	for _, b := range good {
		if ok, _ := a.store.Has(b.CID); !ok {
			t.Fatalf("%s not stored", b.CID)
		}
	}
	if n := pubs.n.Load(); n != 0 {
		t.Fatalf("import published %d gossip messages", n)
	}

	again, err := a.Import(bytes.NewReader(file), nil)
	if err != nil || again.New != 0 || again.Known != 6 {
		t.Fatalf("second import %+v, %v", again, err)
	}
	// The counter does count: a publish to a topic peer is one message.
	b := peerNode(t)
	connect(t, ctx, a, b)
	waitFor(t, ctx, ev, "B on A's topic", topicJoined(b.ID()))
	if _, err := a.Publish(ctx, attest(t, "marker")); err != nil {
		t.Fatal(err)
	}
	if n := pubs.n.Load(); n != 1 {
		t.Fatalf("publish counted %d messages", n)
	}
}

// TestImportDamaged: a cut bundle stores what precedes the cut.
func TestImportDamaged(t *testing.T) {
	a := peerNode(t)
	file, _ := mixedBundle(t)
	cut := file[:len(file)-10]
	rep, err := a.Import(bytes.NewReader(cut), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Damaged == "" || rep.New+rep.Rejected+rep.Ignored != 6 {
		t.Fatalf("report %+v", rep)
	}
	if _, err := a.Import(bytes.NewReader([]byte("not a car")), nil); err == nil {
		t.Fatal("garbage imported")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(bytes.NewReader(file), nil); err != ErrClosed {
		t.Fatalf("import after close: %v", err)
	}
}
