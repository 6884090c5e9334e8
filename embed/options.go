package embed

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/settle"
)

// Options configure a peer. The zero value is a peer that follows no
// district, listens nowhere (it still dials), dials no one at start and
// looks for nobody on the LAN: nothing leaves the machine until it is
// told where to go.
type Options struct {
	// Districts followed: their gossip topics, DHT keys and settlement.
	Districts []string
	// Listen lists multiaddrs to listen on ("/ip4/127.0.0.1/tcp/0" picks
	// a free loopback port). Empty: listen nowhere.
	Listen []string
	// Bootstrap lists peers to dial at start, full multiaddrs ending in
	// /p2p/<peer id>.
	Bootstrap []string
	// Connect lists peers Start dials before it returns, full multiaddrs:
	// Start fails when one cannot be reached. Unlike Bootstrap peers,
	// they seed no DHT and are not exempt from the new-author quotas.
	Connect []string
	// MDNS looks for peers on the local network; off by default.
	MDNS bool
	// PortMap asks the router to forward a port (UPnP, NAT-PMP); off by
	// default.
	PortMap bool
	// LAN dials DHT provider addresses on private and loopback networks:
	// a district that meets on one network (or on one machine).
	LAN bool
	// Pins are district geneses to follow (config.toml [pins]).
	Pins settle.Pins
	// Grid runs the OpenGrid jobs this peer serves once it offers. Nil: a
	// wazero runner made on the first job, its compiled modules cached
	// under GridCache ("" keeps them in memory). An Offline peer serves
	// no jobs: both are unused.
	Grid      node.GridRunner
	GridCache string
	// Offline runs the peer with no network at all (node.NewOffline):
	// its settler pays and writes fraud entries, entries travel by
	// bundles. Listen, Bootstrap, MDNS and PortMap must then be empty.
	Offline bool
	// OfflineErr is what Connect answers on an Offline peer, one line
	// with its remedy; nil: ErrNoNetwork.
	OfflineErr error
	// Logger receives the node's log; nil: none.
	Logger *slog.Logger
	// NodeOptions are passed to the node as they are (a gossip tracer
	// for metrics, say), after the ones the fields above make.
	NodeOptions []node.Option
	// Config, when set, is the node's config as is (the daemon builds one
	// from config.toml and its flags); Districts, Listen, Bootstrap, MDNS,
	// PortMap, LAN and Pins must then be empty.
	Config *node.Config
}

// errConflict: two options say different things.
var errConflict = errors.New("embed: conflicting options")

// nodeConfig is the node config of o, after validate.
func (o Options) nodeConfig() (node.Config, error) {
	if err := o.validate(); err != nil {
		return node.Config{}, err
	}
	if o.Config != nil {
		return *o.Config, nil
	}
	cfg := node.Config{
		Districts: o.Districts, MDNS: o.MDNS, NoPortMap: !o.PortMap, Pins: o.Pins,
		AllowPrivateProviders: o.LAN, Listen: []ma.Multiaddr{},
	}
	for _, s := range o.Listen {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			return cfg, fmt.Errorf("embed: listen %q is not a multiaddr", s)
		}
		cfg.Listen = append(cfg.Listen, a)
	}
	for _, s := range o.Bootstrap {
		info, err := peer.AddrInfoFromString(s)
		if err != nil {
			return cfg, fmt.Errorf("embed: bootstrap %q is not a peer multiaddr ending in /p2p/<peer id>", s)
		}
		cfg.Bootstrap = append(cfg.Bootstrap, *info)
	}
	return cfg, nil
}

// validate refuses options that contradict each other.
func (o Options) validate() error {
	set := len(o.Districts) > 0 || len(o.Listen) > 0 || len(o.Bootstrap) > 0 || o.MDNS || o.PortMap || o.LAN || len(o.Pins) > 0
	if o.Config != nil && set {
		return fmt.Errorf("%w: Config is given with Districts, Listen, Bootstrap, MDNS, PortMap, LAN or Pins", errConflict)
	}
	if o.Offline && (len(o.Listen) > 0 || len(o.Bootstrap) > 0 || len(o.Connect) > 0 || o.MDNS || o.PortMap) {
		return fmt.Errorf("%w: an Offline peer has no Listen, Bootstrap, Connect, MDNS or PortMap", errConflict)
	}
	if o.Grid != nil && o.GridCache != "" {
		return fmt.Errorf("%w: GridCache is for the default runner, not Grid", errConflict)
	}
	return nil
}
