package node

import (
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/grid"
)

// TestRankProviders: disagreements first, then verified results, price, then latency (unmeasured
// last); the replicas come from different networks while there is a
// choice, the rest follow in rank order.
func TestRankProviders(t *testing.T) {
	c := func(id string, verified, disagreed int, price uint64, latency time.Duration, network string) candidate {
		return candidate{offer: grid.Current{Provider: peer.ID(id), Offer: grid.Offer{Price: price}},
			rep: grid.Rep{Verified: verified, Disagreed: disagreed}, latency: latency, network: network}
	}
	cs := []candidate{
		c("cheap", 0, 0, 1, 0, "10.1.0.0/16"),
		c("trusted", 5, 0, 9, 0, "10.1.0.0/16"),
		c("liar", 9, 3, 1, 0, "10.2.0.0/16"),
		c("near", 0, 0, 1, time.Millisecond, "10.1.0.0/16"),
		c("far", 0, 0, 1, time.Second, "10.3.0.0/16"),
	}
	got := rank(cs, 3)
	// By rank: trusted, near, far, cheap, liar. Three replicas: trusted
	// (10.1); near shares 10.1, so far (10.3); cheap shares 10.1, so liar
	// (10.2); then near and cheap.
	want := []peer.ID{"trusted", "far", "liar", "near", "cheap"}
	if !slices.Equal(got, want) {
		t.Fatalf("rank = %v, want %v", got, want)
	}
	one := []candidate{c("cheap", 0, 0, 1, 0, "10.1.0.0/16"), c("trusted", 5, 0, 9, 0, "10.1.0.0/16")}
	if got := rank(one, 2); !slices.Equal(got, []peer.ID{"trusted", "cheap"}) {
		t.Fatalf("one network, two replicas: %v", got)
	}
}

func TestNetworkOf(t *testing.T) {
	for addr, want := range map[string]string{
		"/ip4/192.168.7.20/tcp/4811":         "192.168.0.0/16",
		"/ip6/2001:db8:1:2::5/udp/1/quic-v1": "2001:db8:1::/48",
		"/dns4/example.org/tcp/1":            "",
	} {
		if got := networkOf([]ma.Multiaddr{ma.StringCast(addr)}); got != want {
			t.Errorf("networkOf(%s) = %q, want %q", addr, got, want)
		}
	}
}
