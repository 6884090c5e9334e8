package node

import (
	"context"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/grid"
)

// TestGridProviderFoundThroughDHT: a requester connected only to a DHT
// server finds a compute provider it has never been connected to, by
// the provider's grid keys: any district, and a district it serves; a
// district it does not serve finds nobody.
func TestGridProviderFoundThroughDHT(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true, AllowPrivateProviders: true}
	start := func(server bool) *Node {
		c := cfg
		c.DHTServer = server
		n, err := New(ctx, c, newVault(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	server, provider, requester := start(true), start(false), start(false)
	connect(t, ctx, provider, server)
	connect(t, ctx, requester, server)
	for _, n := range []*Node{provider, requester} {
		waitRouting(t, ctx, n)
	}
	if err := provider.OfferGrid(ctx, []string{"meso/north"}); err != nil {
		t.Fatal(err)
	}
	if requester.host.Network().Connectedness(provider.ID()) == network.Connected {
		t.Fatal("the requester is connected to the provider: the DHT would not be the only path")
	}
	for _, d := range []string{"", "meso/north"} {
		found := findGrid(t, ctx, requester, d)
		if len(found) != 1 || found[0].ID != provider.ID() || len(found[0].Addrs) == 0 {
			t.Fatalf("providers of %q: %v, want the provider with its addresses", d, found)
		}
	}
	if found, err := requester.FindGridProviders(ctx, "meso/south", 5); err != nil || len(found) != 0 {
		t.Fatalf("providers of a district nobody serves: %v, %v", found, err)
	}
	if _, err := requester.FindGridProviders(ctx, "Not A District", 5); err == nil {
		t.Error("a malformed district was looked up")
	}
}

// waitRouting waits until n's DHT routing table holds a peer: it takes
// one after identify, in the DHT's background, and raises no event.
func waitRouting(t testing.TB, ctx context.Context, n *Node) {
	t.Helper()
	for n.dht.Size() == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("the DHT server never entered the routing table")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// findGrid asks until the lookup finds a provider of district: the
// provider's announcement reaches the server in the background.
func findGrid(t testing.TB, ctx context.Context, n *Node, district string) []peer.AddrInfo {
	t.Helper()
	for {
		found, err := n.FindGridProviders(ctx, district, 5)
		if err != nil {
			t.Fatalf("lookup of %q: %v", district, err)
		}
		if len(found) > 0 {
			return found
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no provider of %q found", district)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestGridRunThroughDHT: a requester connected only to a bare DHT server
// (a libp2p host that runs the DHT and nothing of Mycel, so no entry can
// travel through it) runs a job: it holds no offer, finds the provider in
// the DHT, syncs with it to read its offer, sends the job and gets it
// verified.
func TestGridRunThroughDHT(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true, AllowPrivateProviders: true}
	start := func(opts ...Option) *Node {
		n, err := New(ctx, cfg, newVault(t), opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	d, err := dht.New(h, dht.Config{Server: true, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	provider, requester := start(WithGridRunner(digestRunner{})), start()
	for _, n := range []*Node{provider, requester} {
		if err := n.Connect(ctx, peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []*Node{provider, requester} {
		waitRouting(t, ctx, n)
	}
	publish(t, ctx, provider, grid.KindOffer, &grid.Offer{Runtime: grid.Runtime, MemoryMiB: 64, MaxSeconds: 10, Price: 5, Unit: unit})
	if err := provider.OfferGrid(ctx, nil); err != nil {
		t.Fatal(err)
	}
	findGrid(t, ctx, requester, "") // the announcement reaches the server
	run, err := requester.RunGrid(ctx, GridRequest{Module: []byte("\x00asm"), Input: []byte("in"), MemoryMiB: 1, MaxSeconds: 5,
		Replicas: 1, MaxPrice: 5, Unit: unit, District: district})
	if err != nil || run.Status.State != grid.Verified || len(run.Attempts) != 1 || run.Attempts[0].Provider != provider.ID() {
		t.Fatalf("run through the DHT: %+v, %v", run, err)
	}
}
