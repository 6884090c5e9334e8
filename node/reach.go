package node

import (
	"fmt"
	"strings"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
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
}

// ReachChanged: the host's reachability verdict or the set of relays
// holding a reservation changed.
type ReachChanged struct{ Reach Reach }

func (ReachChanged) event() {}

// Reach returns the node's reachability now.
func (n *Node) Reach() Reach {
	r := Reach{Status: network.Reachability(n.reach.v.Load())}
	if r.Status == network.ReachabilityPrivate {
		r.Relays = n.relays.ids()
	}
	return r
}

// String says it in plain words, one of:
//
//	public: reachable directly
//	private: behind NAT, reachable through relay <id>[, <id>...]
//	private: behind NAT, not reachable (add a relay)
//	not known yet: still probing
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
	return "not known yet: still probing"
}
