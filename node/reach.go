package node

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// Forced reachability values of Config.ForceReachability.
const (
	ReachPublic  = "public"
	ReachPrivate = "private"
)

// Reach is what the node knows of its own reachability: the host's last
// EvtLocalReachabilityChanged verdict (AutoNAT's, or the forced one) and
// the relays that hold a reservation for it.
type Reach struct {
	Status network.Reachability
	Relays []peer.ID // sorted; only while Status is private
	// LANOnly: the status is unknown and no listen address is public, so
	// there is nothing for AutoNAT to probe; peers on the same network
	// dial this one directly.
	LANOnly bool
	// Unconfirmed: the status is still unknown ProbeWindow after start
	// although a listen address is public: no peer has checked it yet.
	Unconfirmed bool
}

// ProbeWindow is how long an unknown reachability with a public address
// reads "still probing"; past it the words say no peer confirmed it.
const ProbeWindow = time.Minute

// ReachChanged: the host's reachability verdict or the set of relays
// holding a reservation changed.
type ReachChanged struct{ Reach Reach }

func (ReachChanged) event() {}

// Reach returns the node's reachability now.
func (n *Node) Reach() Reach {
	r := Reach{Status: network.Reachability(n.reach.v.Load())}
	switch r.Status {
	case network.ReachabilityPrivate:
		r.Relays = n.relays.ids()
	case network.ReachabilityUnknown:
		r.LANOnly = !slices.ContainsFunc(n.host.Addrs(), isPublic)
		r.Unconfirmed = !r.LANOnly && time.Since(n.born) > ProbeWindow
	}
	return r
}

// isPublic: a is a public IP address (not private, loopback or
// link-local).
func isPublic(a ma.Multiaddr) bool { return manet.IsPublicAddr(a) }

// String says it in plain words, one of:
//
//	public: reachable directly
//	private: behind NAT, reachable through relay <id>[, <id>...]
//	private: behind NAT, not reachable (add a relay)
//	LAN only: no public address; peers on this network dial it directly
//	not known yet: still probing
//	not known: no peer has confirmed a public address yet (still trying)
func (r Reach) String() string {
	switch r.Status {
	case network.ReachabilityPublic:
		return "public: reachable directly"
	case network.ReachabilityPrivate:
		if len(r.Relays) == 0 {
			return "private: behind NAT, not reachable (add a relay)"
		}
		ids := make([]string, len(r.Relays))
		for i, p := range r.Relays {
			ids[i] = p.String()
		}
		return fmt.Sprintf("private: behind NAT, reachable through relay %s", strings.Join(ids, ", "))
	}
	switch {
	case r.LANOnly:
		return "LAN only: no public address; peers on this network dial it directly"
	case r.Unconfirmed:
		return "not known: no peer has confirmed a public address yet (still trying)"
	}
	return "not known yet: still probing"
}
