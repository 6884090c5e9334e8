package node

import (
	"fmt"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
)

// limits returns the explicit resource limits: the whole node may hold
// twice the connection manager's high water (trimming starts well before
// the hard limit), each peer a few connections and 256 streams, each
// protocol 1024 streams; memory 512 MiB for the node, 16 MiB per peer,
// 64 MiB per protocol. Services (identify, relay, AutoNAT...) keep
// libp2p's defaults.
func limits(cfg Config) rcmgr.ConcreteLimitConfig {
	hi := rcmgr.LimitVal(cfg.ConnHigh)
	scaling := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&scaling)
	partial := rcmgr.PartialLimitConfig{
		System: rcmgr.ResourceLimits{
			Conns: 2 * hi, ConnsInbound: 2 * hi, ConnsOutbound: 2 * hi,
			Streams: 4096, StreamsInbound: 2048, StreamsOutbound: 4096,
			FD: 1024, Memory: 512 << 20,
		},
		Transient: rcmgr.ResourceLimits{
			Conns: hi, ConnsInbound: hi / 2, ConnsOutbound: hi,
			Streams: 512, StreamsInbound: 256, StreamsOutbound: 512,
			FD: 256, Memory: 64 << 20,
		},
		PeerDefault: rcmgr.ResourceLimits{
			Conns: 8, ConnsInbound: 4, ConnsOutbound: 8,
			Streams: 256, StreamsInbound: 128, StreamsOutbound: 128,
			FD: 8, Memory: 16 << 20,
		},
		ProtocolDefault: rcmgr.ResourceLimits{
			Streams: 1024, StreamsInbound: 512, StreamsOutbound: 512, Memory: 64 << 20,
		},
		ProtocolPeerDefault: rcmgr.ResourceLimits{
			Streams: 64, StreamsInbound: 32, StreamsOutbound: 32, Memory: 8 << 20,
		},
	}
	return partial.Build(scaling.AutoScale())
}

func resources(cfg Config) (network.ResourceManager, error) {
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits(cfg)))
	if err != nil {
		return nil, fmt.Errorf("resource manager: %w", err)
	}
	return rm, nil
}
