package node

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip/miptest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// offlineNode starts a node with no network over v, following district.
func offlineNode(t testing.TB, v *vault.Bolt) *Node {
	t.Helper()
	n, err := NewOffline(context.Background(), Config{Districts: []string{district}}, v)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// TestOfflineSettles: a funder's node with no network, whose pledged proof
// becomes verified by a bundle import (proof and attestations), pays the
// receipt once; after a restart and the same import again it pays nothing
// more.
func TestOfflineSettles(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	path := filepath.Join(t.TempDir(), "funder.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := offlineNode(t, v)
	if len(n.host.Addrs()) != 0 || len(n.host.Network().ListenAddresses()) != 0 {
		t.Fatalf("offline node listens on %v", n.host.Network().ListenAddresses())
	}
	id := n.ID()
	gen, deliver, paid := settleWorld(t, id, 1)
	publish(t, ctx, n, settle.KindDistrict, gen)
	publish(t, ctx, n, protocol.KindPledge, hltPledge(10, 1000))
	file := miptest.Bundle(t, deliver...)

	ev, stop := n.Subscribe(256)
	defer stop()
	if rep, err := n.Import(bytes.NewReader(file), nil); err != nil || rep.New != 3 {
		t.Fatalf("import %+v, %v", rep, err)
	}
	waitFor(t, ctx, ev, "the receipt", func(e Event) bool {
		s, ok := e.(Stored)
		return ok && s.Source == Local && s.Block.Entry.Kind == protocol.KindReceipt
	})
	if got := receiptsFor(n.Views(), id); got[paid[0]] != 1 || len(got) != 1 {
		t.Fatalf("receipts %v", got)
	}

	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if v, err = vault.Open(path, vault.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	n = offlineNode(t, v)
	if rep, err := n.Import(bytes.NewReader(file), nil); err != nil || rep.New != 0 || rep.Known != 3 {
		t.Fatalf("import after restart %+v, %v", rep, err)
	}
	if err := n.settler.quiet(ctx); err != nil {
		t.Fatal(err)
	}
	if got := receiptsFor(n.Views(), id); got[paid[0]] != 1 || len(got) != 1 || n.Settled().Receipts != 0 {
		t.Fatalf("after restart: receipts %v, settler %+v", got, n.Settled())
	}
}

// TestOfflineFraud: a node with no network that imports a fork of a
// verifier of its district writes the fraud entry, as online.
func TestOfflineFraud(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	left := newVault(t)
	right, err := vault.CreateWithKey(filepath.Join(t.TempDir(), "twin.db"), left.Key(), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { right.Close() })
	n := offlineNode(t, newVault(t))
	publish(t, ctx, n, settle.KindDistrict, genesis([]peer.ID{n.ID()}, left.ID()))
	a := appendTo(t, left, protocol.KindAttest, valid(protocol.Sum([]byte("one"))))
	b := appendTo(t, right, protocol.KindAttest, valid(protocol.Sum([]byte("two"))))

	ev, stop := n.Subscribe(256)
	defer stop()
	if rep, err := n.Import(bytes.NewReader(miptest.Bundle(t, a, b)), nil); err != nil || rep.Forks != 1 {
		t.Fatalf("import %+v, %v", rep, err)
	}
	e := waitFor(t, ctx, ev, "a fraud entry", func(e Event) bool {
		s, ok := e.(Stored)
		return ok && s.Source == Local && s.Block.Entry.Kind == protocol.KindFraud
	}).(Stored)
	if _, err := settle.VerifyFraud(decodeFraud(t, e.Block)); err != nil {
		t.Fatal(err)
	}
}
