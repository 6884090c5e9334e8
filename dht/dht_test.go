package dht

import (
	"context"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestKeys(t *testing.T) {
	a, b := DistrictKey("meso-valley/north"), DistrictKey("meso-valley/north")
	if a != b || a.Name != "mycel/1/district/meso-valley/north" {
		t.Fatalf("district key %v is not a stable value", a)
	}
	if DistrictKey("x") == ArenaKey("x") || GridKey("x") == DistrictKey("x") {
		t.Fatal("keys of different namespaces collide")
	}
}

// TestProvideFind: three DHT servers in a line; C finds A as provider of a
// district although A and C never connected directly.
func TestProvideFind(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mn := mocknet.New()
	t.Cleanup(func() { mn.Close() })
	var ds []*DHT
	for range 3 {
		h, err := mn.GenPeer()
		if err != nil {
			t.Fatal(err)
		}
		d, err := New(h, Config{Server: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		ds = append(ds, d)
	}
	if err := mn.LinkAll(); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]int{{0, 1}, {1, 2}} {
		a, b := ds[pair[0]].kad.Host(), ds[pair[1]].kad.Host()
		if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range ds {
		if err := d.WaitPeers(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}
	k := DistrictKey("meso-valley/north")
	if err := ds[0].Provide(ctx, k); err != nil {
		t.Fatal(err)
	}
	// Provide sends its records without waiting for them to be stored
	// (kad's ADD_PROVIDER has no answer), and nothing raises an event
	// when they are: ask until C finds one.
	var got []peer.AddrInfo
	for {
		var err error
		if got, err = ds[2].FindProviders(ctx, k, 5); err != nil {
			t.Fatal(err)
		}
		if len(got) > 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("C never found A's record")
		case <-time.After(50 * time.Millisecond):
		}
	}
	if len(got) != 1 || got[0].ID != ds[0].kad.Host().ID() {
		t.Fatalf("providers %v, want only A", got)
	}
	if got, _ := ds[2].FindProviders(ctx, DistrictKey("elsewhere"), 5); len(got) != 0 {
		t.Fatalf("providers of an unprovided key: %v", got)
	}
}

func TestProtocol(t *testing.T) {
	mn := mocknet.New()
	t.Cleanup(func() { mn.Close() })
	h, err := mn.GenPeer()
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(h, Config{Server: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	defer d.Close() // twice is fine
	protos := h.Mux().Protocols()
	found := false
	for _, p := range protos {
		if p == "/ipfs/kad/1.0.0" {
			t.Fatal("speaks the IPFS DHT")
		}
		found = found || p == "/mycel/kad/1.0.0"
	}
	if !found {
		t.Fatalf("protocols %v lack /mycel/kad/1.0.0", protos)
	}
}
