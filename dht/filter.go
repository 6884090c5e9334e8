package dht

import (
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// AddrFilter returns the filter applied to every address a DHT record or
// answer names before this peer stores or dials it: public addresses
// only, or with allowPrivate also private, loopback and link-local ones.
// Unspecified addresses (0.0.0.0, ::) are always dropped.
func AddrFilter(allowPrivate bool) func([]ma.Multiaddr) []ma.Multiaddr {
	return func(addrs []ma.Multiaddr) []ma.Multiaddr {
		var out []ma.Multiaddr
		for _, a := range addrs {
			if manet.IsIPUnspecified(a) {
				continue
			}
			if allowPrivate || manet.IsPublicAddr(a) {
				out = append(out, a)
			}
		}
		return out
	}
}
