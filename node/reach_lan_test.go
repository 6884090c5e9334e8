package node

import (
	"context"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"
)

// TestReachLANSettles: a node whose only addresses are private (a LAN, or
// loopback here) says "LAN only" instead of probing forever: AutoNAT has
// no public address to check. The time from start to those words is
// measured and must be well under a minute.
func TestReachLANSettles(t *testing.T) {
	for _, listen := range []string{"/ip4/127.0.0.1/tcp/0", "/ip4/0.0.0.0/tcp/0"} {
		start := time.Now()
		cfg := Config{Listen: []ma.Multiaddr{ma.StringCast(listen)}, Districts: []string{district}, NoPortMap: true}
		n, err := New(context.Background(), cfg, newVault(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		r := n.Reach()
		if !r.LANOnly && hasPublic(n) {
			t.Logf("%s: this machine has a public address; LAN words do not apply", listen)
			continue
		}
		settled := time.Since(start)
		if got := n.Reachability(); got != ReachLAN {
			t.Fatalf("%s: Reachability %q, want %q", listen, got, ReachLAN)
		}
		if got, want := r.String(), "LAN only: no public address; peers on this network dial it directly"; got != want {
			t.Fatalf("%s: words %q, want %q", listen, got, want)
		}
		if settled > ProbeWindow/2 {
			t.Fatalf("%s: settled after %v", listen, settled)
		}
		t.Logf("%s: reachability settled to %q %v after start", listen, n.Reachability(), settled.Round(time.Millisecond))
	}
}

func hasPublic(n *Node) bool {
	for _, a := range n.host.Addrs() {
		if isPublic(a) {
			return true
		}
	}
	return false
}

// TestReachUnconfirmedWords: an unknown status past the probe window with
// a public address says so, not "still probing".
func TestReachUnconfirmedWords(t *testing.T) {
	if got := (Reach{Unconfirmed: true}).String(); got != "not known: no peer has confirmed a public address yet (still trying)" {
		t.Fatalf("words %q", got)
	}
}
