package dht

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	kad "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

func TestAddrFilter(t *testing.T) {
	addrs := map[string]bool{ // address: public
		"/ip4/8.8.8.8/tcp/4001":                      true,
		"/dns4/relay.example.org/tcp/4001":           true,
		"/ip6/2001:4860:4860::8888/udp/4001/quic-v1": true,
		"/ip4/10.1.2.3/tcp/4001":                     false,
		"/ip4/192.168.1.7/tcp/4001":                  false,
		"/ip4/172.16.0.9/tcp/4001":                   false,
		"/ip4/127.0.0.1/tcp/4001":                    false,
		"/ip6/::1/tcp/4001":                          false,
		"/ip4/169.254.3.4/tcp/4001":                  false,
		"/ip6/fe80::1/tcp/4001":                      false,
		"/dns4/localhost/tcp/4001":                   false,
		"/ip4/0.0.0.0/tcp/4001":                      false,
	}
	for s, public := range addrs {
		a := ma.StringCast(s)
		if got := len(AddrFilter(false)([]ma.Multiaddr{a})) == 1; got != public {
			t.Errorf("%s kept %v by the public filter, want %v", s, got, public)
		}
		unspecified := s == "/ip4/0.0.0.0/tcp/4001"
		if got := len(AddrFilter(true)([]ma.Multiaddr{a})) == 1; got == unspecified {
			t.Errorf("%s kept %v with private addresses allowed", s, got)
		}
	}
}

// hostileServer is a DHT server without address filtering that holds
// provider records of k for n made-up peers, each at many loopback
// addresses where nothing listens.
func hostileServer(t *testing.T, k Key, n int) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	d, err := kad.New(h, kad.ProtocolPrefix(Prefix), kad.Mode(kad.ModeServer), kad.DisableValues())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(); h.Close() })
	for i := range n {
		key, _, err := crypto.GenerateEd25519Key(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := peer.IDFromPrivateKey(key)
		var addrs []ma.Multiaddr
		for j := range 10 {
			addrs = append(addrs, ma.StringCast(fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", 1+i*10+j)))
		}
		if err := d.ProviderStore().AddProvider(context.Background(), k.CID.Hash(), peer.AddrInfo{ID: id, Addrs: addrs}); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// TestProviderAddrsFiltered: a hostile server's records name loopback
// addresses; a DHT that does not allow private addresses keeps none of
// them, in what FindProviders returns and in the peerstore.
func TestProviderAddrsFiltered(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	k := DistrictKey("meso-valley/north")
	srv := hostileServer(t, k, 40)
	for _, allow := range []bool{false, true} {
		h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableMetrics())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		d, err := New(h, Config{AllowPrivate: allow})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if err := h.Connect(ctx, peer.AddrInfo{ID: srv.ID(), Addrs: srv.Addrs()}); err != nil {
			t.Fatal(err)
		}
		if err := d.WaitPeers(ctx, 1); err != nil {
			t.Fatal(err)
		}
		found, err := d.FindProviders(ctx, k, 100)
		if err != nil || len(found) != 40 {
			t.Fatalf("allow %v: found %d providers, %v; want 40", allow, len(found), err)
		}
		addrs := 0
		for _, p := range found {
			addrs += len(p.Addrs) + len(h.Peerstore().Addrs(p.ID))
		}
		if want := 0; !allow && addrs != want {
			t.Errorf("public only: %d loopback addresses kept from the records", addrs)
		}
		if allow && addrs == 0 {
			t.Error("private allowed: the records' addresses were dropped")
		}
	}
}
