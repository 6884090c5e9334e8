package node

import (
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

func TestReachWords(t *testing.T) {
	relay := peer.ID("relay")
	for _, tc := range []struct {
		reach Reach
		want  string
	}{
		{Reach{}, "not known yet: still probing"},
		{Reach{Status: network.ReachabilityPublic}, "public: reachable directly"},
		{Reach{Status: network.ReachabilityPrivate}, "private: behind NAT, not reachable (add a relay)"},
		{Reach{Status: network.ReachabilityPrivate, Relays: []peer.ID{relay}}, "private: behind NAT, reachable through relay " + relay.String()},
	} {
		if got := tc.reach.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.reach, got, tc.want)
		}
	}
}

// TestReachForcedPrivate: a laptop forced private with no relay says it
// is not reachable, following the host's EvtLocalReachabilityChanged.
func TestReachForcedPrivate(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	n, err := New(ctx, Config{Listen: []ma.Multiaddr{}, ForceReachability: ReachPrivate, NoPortMap: true}, newVault(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	ev, stop := n.Subscribe(16)
	defer stop()
	for n.Reach().Status != network.ReachabilityPrivate {
		waitFor(t, ctx, ev, "private reachability", func(e Event) bool { _, ok := e.(ReachChanged); return ok })
	}
	if got, want := n.Reach().String(), "private: behind NAT, not reachable (add a relay)"; got != want {
		t.Fatalf("reachability %q, want %q", got, want)
	}
	if got := n.Reachability(); got != "private" {
		t.Fatalf("Reachability() %q, want private", got)
	}
}

func TestConfigForceReachability(t *testing.T) {
	err := Config{ForceReachability: "sometimes"}.withDefaults().validate()
	if err == nil {
		t.Fatal("reachability \"sometimes\" accepted")
	}
}

// TestLatencyMeasured: a connected peer's latency is measured on connect.
func TestLatencyMeasured(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	a, b := peerNode(t), peerNode(t)
	ev, stop := a.Subscribe(256)
	defer stop()
	connect(t, ctx, a, b)
	e := waitFor(t, ctx, ev, "a ping to b", func(e Event) bool {
		l, ok := e.(PeerLatency)
		return ok && l.Peer == b.ID()
	}).(PeerLatency)
	if e.RTT <= 0 {
		t.Fatalf("ping RTT %s", e.RTT)
	}
	if got := peerInfo(t, a, b.ID()).Latency; got <= 0 {
		t.Fatalf("latency of b %s, want > 0", got)
	}
}
