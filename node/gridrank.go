package node

import (
	"cmp"
	"net/netip"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/mesocosm/mycel/grid"
)

// candidate is a provider whose offer fits a job, with what ranks it.
type candidate struct {
	offer   grid.Current
	rep     grid.Rep
	latency time.Duration // 0: not measured
	network string        // "" when not known
}

// rank orders candidates for a job of k replicas: fewest disagreements,
// most verified results, lowest price, lowest measured latency (unmeasured
// last); then the first k are taken from as many networks as there are
// (a provider whose network is already among them waits its turn), so
// that one machine room or one operator is less likely to answer twice.
func rank(cs []candidate, k int) []peer.ID {
	slices.SortFunc(cs, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.rep.Disagreed, b.rep.Disagreed), cmp.Compare(b.rep.Verified, a.rep.Verified),
			cmp.Compare(a.offer.Offer.Price, b.offer.Offer.Price), compareLatency(a.latency, b.latency),
			cmp.Compare(a.offer.Provider, b.offer.Provider))
	})
	out := make([]peer.ID, 0, len(cs))
	taken := make([]bool, len(cs))
	nets := map[string]bool{}
	for i, c := range cs {
		if len(out) == k {
			break
		}
		if c.network != "" && nets[c.network] {
			continue
		}
		nets[c.network] = c.network != ""
		out, taken[i] = append(out, c.offer.Provider), true
	}
	for i, c := range cs {
		if !taken[i] {
			out = append(out, c.offer.Provider)
		}
	}
	return out
}

func compareLatency(a, b time.Duration) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	}
	return cmp.Compare(a, b)
}

// networkOf names the network a provider's first address lies in: the
// /16 of an IPv4 address, the /48 of an IPv6 one; "" when it has none.
func networkOf(addrs []ma.Multiaddr) string {
	for _, a := range addrs {
		ip, err := manet.ToIP(a)
		if err != nil {
			continue
		}
		addr, ok := netip.AddrFromSlice(ip)
		if !ok {
			continue
		}
		bits := 48
		if addr = addr.Unmap(); addr.Is4() {
			bits = 16
		}
		p, err := addr.Prefix(bits)
		if err == nil {
			return p.String()
		}
	}
	return ""
}
