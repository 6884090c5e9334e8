package node

import (
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/replicate"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// putAll stores blocks in v, a batch at a time.
func putAll(t testing.TB, v vault.Store, blocks []protocol.Block) {
	t.Helper()
	for c := range slices.Chunk(blocks, 256) {
		if _, err := v.Put(c...); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSyncAfterAbsenceResumes: a laptop that holds the first 200 entries
// of a log comes back after 1,000 more were written; its first visit is
// cut mid-way, the second streams exactly the entries still missing.
func TestSyncAfterAbsenceResumes(t *testing.T) {
	const shared, total, cutAt = 200, 1200, 300
	ctx := ctxT(t, 60*time.Second)
	a := vaulttest.NewAuthor(t)
	log := make([]protocol.Block, total)
	for i := range log {
		log[i] = a.Next(t, protocol.KindAttest, district, attest(t, "entry").Body)
	}
	// X answers sync but never starts a round, so the laptop's rounds are
	// the only traffic: two nodes each start a round when they connect,
	// and both rounds stream what is missing.
	x := responder(t)
	putAll(t, x.v, log)

	var received atomic.Int64 // blocks the laptop's sync sessions read
	var cut atomic.Bool
	var lap *Node
	def := DefaultCheck()
	check := func(b protocol.Block) protocol.Verdict {
		if received.Add(1) == cutAt && cut.Load() {
			lap.host.Network().ClosePeer(x.h.ID()) // the laptop leaves mid-way
		}
		return def(b)
	}
	lap = districtNodeWith(t, WithCheck(check))
	putAll(t, lap.store, log[:shared])
	ev, stop := lap.Subscribe(4096)
	defer stop()

	cut.Store(true)
	if err := lap.Connect(ctx, peer.AddrInfo{ID: x.h.ID(), Addrs: x.h.Addrs()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, ev, "the cut round's end", func(e Event) bool {
		d, ok := e.(SyncDone)
		return ok && d.Peer == x.h.ID() && d.Err != nil
	})
	head, err := lap.store.Head(a.ID)
	if err != nil || head.Seq <= shared || head.Seq >= total {
		t.Fatalf("after the cut the laptop holds up to seq %d (%v), want a part of the missing entries", head.Seq, err)
	}
	cut.Store(false)
	received.Store(0)
	if err := lap.Connect(ctx, peer.AddrInfo{ID: x.h.ID(), Addrs: x.h.Addrs()}); err != nil {
		t.Fatal(err)
	}
	done := waitFor(t, ctx, ev, "the second round's end", func(e Event) bool {
		d, ok := e.(SyncDone)
		return ok && d.Peer == x.h.ID()
	}).(SyncDone)
	if done.Err != nil || done.Stats.Received != int(total-head.Seq) {
		t.Fatalf("second round: %+v", done)
	}
	missing := int64(total) - int64(head.Seq)
	if got := received.Load(); got != missing {
		t.Errorf("second visit read %d blocks, want the %d missing", got, missing)
	}
	if h, _ := lap.store.Head(a.ID); h.Seq != total {
		t.Fatalf("laptop head %d, want %d", h.Seq, total)
	}
}

type syncResponder struct {
	h host.Host
	v *vault.Bolt
}

// responder is a bare host that answers sync and fetch over a vault.
func responder(t testing.TB) syncResponder {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrs(loopback()...), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	v := newVault(t)
	svc := replicate.New(h, v, replicate.Config{Check: DefaultCheck()})
	t.Cleanup(func() { svc.Close(); h.Close() })
	return syncResponder{h: h, v: v}
}

// districtNodeWith starts a loopback node following district with opts.
func districtNodeWith(t testing.TB, opts ...Option) *Node {
	t.Helper()
	n, err := New(t.Context(), Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true}, newVault(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}
