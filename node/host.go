package node

import (
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	yamux "github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	noise "github.com/libp2p/go-libp2p/p2p/security/noise"
	tls "github.com/libp2p/go-libp2p/p2p/security/tls"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
)

// quietFx silences the fx container that assembles a libp2p host: its
// lines ("OnStart hook failed", "start failed, rolling back") only repeat
// the error libp2p.New returns, which the caller reports in one line.
var quietFx = libp2p.WithFxOption(fx.WithLogger(func() fxevent.Logger { return fxevent.NopLogger }))

// buildHost assembles the libp2p host of cfg: TCP and QUIC, Noise and TLS,
// yamux, explicit connection and resource limits, hole punching, AutoNAT
// v2, port mapping, auto-relay through static relays, and for servers the
// relay and AutoNAT services. Reservations on static relays are kept by
// the node itself (relay.go), not by libp2p's autorelay.
func buildHost(cfg Config, key crypto.PrivKey) (host.Host, error) {
	cm, err := connmgr.NewConnManager(cfg.ConnLow, cfg.ConnHigh, connmgr.WithGracePeriod(time.Minute))
	if err != nil {
		return nil, fmt.Errorf("connection manager: %w", err)
	}
	rm, err := resources(cfg)
	if err != nil {
		return nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(key),
		libp2p.ListenAddrs(cfg.Listen...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Security(tls.ID, tls.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.ConnectionManager(cm),
		libp2p.ResourceManager(rm),
		libp2p.EnableHolePunching(),
		libp2p.EnableAutoNATv2(),
		libp2p.DisableMetrics(),
		quietFx,
	}
	if !cfg.NoPortMap {
		opts = append(opts, libp2p.NATPortMap())
	}
	switch cfg.ForceReachability {
	case ReachPublic:
		opts = append(opts, libp2p.ForceReachabilityPublic())
	case ReachPrivate:
		opts = append(opts, libp2p.ForceReachabilityPrivate())
	}
	if cfg.Server {
		opts = append(opts, libp2p.EnableRelayService(), libp2p.EnableNATService())
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("libp2p host: %w", err)
	}
	return h, nil
}
