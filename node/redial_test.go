package node

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/mesocosm/mycel/vault"
)

// nodeAt starts a node over v listening on addrs (loopback).
func nodeAt(t testing.TB, v *vault.Bolt, addrs []ma.Multiaddr) *Node {
	t.Helper()
	cfg := Config{Listen: addrs, Districts: []string{district}, NoPortMap: true, SyncInterval: 30 * time.Second}
	n, err := New(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func connectedTo(p peer.ID) func(Event) bool {
	return func(e Event) bool { c, ok := e.(PeerConnected); return ok && c.Peer == p }
}

func recalled(n *Node, p peer.ID) (RememberedPeer, bool) {
	for _, r := range n.Remembered() {
		if r.ID == p {
			return r, true
		}
	}
	return RememberedPeer{}, false
}

// TestRedialAfterRestart: A connects to B. B stops: A's redials fail and
// A lists B as remembered, not connected, with the dial error. B restarts
// on the same port with the same vault: A is connected again within a
// few seconds. A restarts: it dials B at once from its vault. Forget
// removes B, in memory and in the vault.
func TestRedialAfterRestart(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	va, vb := newVault(t), newVault(t)
	a, b := nodeAt(t, va, loopback()), nodeAt(t, vb, loopback())
	evA, stopA := a.Subscribe(256)
	defer stopA()
	evB, stopB := b.Subscribe(256)
	defer stopB()
	connect(t, ctx, a, b)
	waitFor(t, ctx, evA, "first round with B", func(e Event) bool { d, ok := e.(SyncDone); return ok && d.Peer == b.ID() })
	if r, ok := recalled(a, b.ID()); !ok || r.Source != MetConnect || !r.Connected || len(r.Addrs) == 0 {
		t.Fatalf("A remembers B as %+v, %v", r, ok)
	}
	waitFor(t, ctx, evB, "A remembered on B", func(e Event) bool { r, ok := e.(PeerRemembered); return ok && r.Peer == a.ID() })
	if r, ok := recalled(b, a.ID()); !ok || r.Source != MetInbound || len(r.Addrs) == 0 {
		t.Fatalf("B remembers A, which dialled it, as %+v, %v: want its loopback listen address", r, ok)
	}
	bAddrs := b.host.Network().ListenAddresses()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, evA, "a failed redial of B", func(e Event) bool { f, ok := e.(RedialFailed); return ok && f.Peer == b.ID() })
	if r, _ := recalled(a, b.ID()); r.Connected || r.LastErr == "" || r.NextDial.IsZero() {
		t.Fatalf("A lists B stopped as %+v", r)
	}

	stopped := time.Now()
	b = nodeAt(t, vb, bAddrs)
	waitFor(t, ctx, evA, "B again", connectedTo(b.ID()))
	if d := time.Since(stopped); d > 5*time.Second {
		t.Fatalf("reconnected %s after B restarted, want within 5s", d)
	}

	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = nodeAt(t, va, loopback())
	evA2, stopA2 := a.Subscribe(256)
	defer stopA2()
	if _, ok := recalled(a, b.ID()); !ok {
		t.Fatal("A forgot B on restart")
	}
	waitFor(t, ctx, evA2, "B from A's vault", connectedTo(b.ID()))

	if err := a.Forget(b.ID()); err != nil {
		t.Fatal(err)
	}
	if _, ok := recalled(a, b.ID()); ok {
		t.Fatal("B still remembered after Forget")
	}
	if ps, _ := va.RememberedPeers(); len(ps) != 0 {
		t.Fatalf("vault still holds %v", ps)
	}
	if err := a.Forget(b.ID()); !errors.Is(err, ErrNotRemembered) {
		t.Fatalf("second Forget: %v", err)
	}
}

// TestRedialNewPort: A connects to B; B forgets A and restarts on another
// port. A's
// redials of the old address fail, so it looks B up on the DHT (S, a DHT
// server both bootstrap from, learnt B's new address by identify) and is
// connected again.
func TestRedialNewPort(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	lan := func(v *vault.Bolt, listen []ma.Multiaddr, boot ...peer.AddrInfo) *Node {
		cfg := Config{Listen: listen, Districts: []string{district}, NoPortMap: true, SyncInterval: 30 * time.Second,
			AllowPrivateProviders: true, DHTServer: len(boot) == 0, Bootstrap: boot}
		n, err := New(context.Background(), cfg, v)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	s := lan(newVault(t), loopback())
	vb := newVault(t)
	a, b := lan(newVault(t), loopback(), s.AddrInfo()), lan(vb, loopback(), s.AddrInfo())
	evA, stopA := a.Subscribe(256)
	defer stopA()
	evB, stopB := b.Subscribe(256)
	defer stopB()
	connect(t, ctx, a, b)
	waitFor(t, ctx, evA, "B remembered", func(e Event) bool { r, ok := e.(PeerRemembered); return ok && r.Peer == b.ID() })
	waitFor(t, ctx, evB, "A remembered", func(e Event) bool { r, ok := e.(PeerRemembered); return ok && r.Peer == a.ID() })
	if err := b.Forget(a.ID()); err != nil { // so that only A can bring the two together again
		t.Fatal(err)
	}
	stopB()
	old := tcpAddr(t, b)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	now := otherPort(t, old)
	restarted := time.Now()
	b = lan(vb, []ma.Multiaddr{now}, s.AddrInfo())
	waitFor(t, ctx, evA, "B remembered at its new port", func(e Event) bool {
		r, ok := e.(PeerRemembered)
		if !ok || r.Peer != b.ID() {
			return false
		}
		got, _ := recalled(a, b.ID())
		return got.Connected && slices.ContainsFunc(got.Addrs, now.Equal)
	})
	// The district round (every 30 s) would find B too; the redial must
	// come first.
	if d := time.Since(restarted); d > 10*time.Second {
		t.Fatalf("connected %s after B moved, want within 10s", d)
	}
}

// otherPort returns a loopback TCP address on a free port other than
// old's.
func otherPort(t *testing.T, old ma.Multiaddr) ma.Multiaddr {

	t.Helper()
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		a, err := manet.FromNetAddr(l.Addr())
		l.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !a.Equal(old) {
			return a
		}
	}
}

// tcpAddr is n's TCP listen address.
func tcpAddr(t *testing.T, n *Node) ma.Multiaddr {
	t.Helper()
	for _, a := range n.host.Network().ListenAddresses() {
		if _, err := a.ValueForProtocol(ma.P_TCP); err == nil {
			return a
		}
	}
	t.Fatal("no TCP listen address")
	return nil
}
