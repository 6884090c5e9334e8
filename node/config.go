package node

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Defaults of Config fields left zero.
const (
	DefaultPort         = 4001
	DefaultConnLow      = 32
	DefaultConnHigh     = 96
	DefaultSyncInterval = 30 * time.Second
	// New authors admitted from remote peers per window (see Config).
	DefaultNewAuthorsPerPeer = 64
	DefaultNewAuthorsTotal   = 1024
	DefaultNewAuthorsWindow  = time.Hour
	// MDNSService is the mDNS service name Mycel peers announce on the LAN.
	MDNSService = "_mycel._udp"
)

// Config configures a node. The zero value is a laptop peer: listening on
// all interfaces, port 4001, TCP and QUIC; no bootstrap peers, no relays,
// no districts followed, DHT client, no relay or AutoNAT service.
type Config struct {
	// Listen addresses. Default /ip4/0.0.0.0/tcp/4001 and
	// /ip4/0.0.0.0/udp/4001/quic-v1.
	Listen []ma.Multiaddr
	// Bootstrap peers, dialled at start and used to seed the DHT.
	Bootstrap []peer.AddrInfo
	// Relays are static circuit relays: while this peer believes itself
	// private it holds a reservation on each and announces its
	// /p2p-circuit addresses through them.
	Relays []peer.AddrInfo
	// ForceReachability skips AutoNAT's verdict: "public" for a server
	// known to be dialable, "private" for a peer behind a known NAT (and
	// for tests on loopback, where AutoNAT never decides). "" probes.
	ForceReachability string
	// Districts followed: their topics are subscribed, this peer provides
	// their DHT keys and looks for their other providers. "" is global.
	Districts []string
	// MDNS discovers and connects peers on the LAN.
	MDNS bool
	// DHTServer answers DHT queries (default client mode).
	DHTServer bool
	// Server runs the circuit relay and AutoNAT services for others, and
	// implies DHTServer: the profile of an always-on production node.
	Server bool
	// NoPortMap turns off UPnP/NAT-PMP port mapping (tests, servers).
	NoPortMap bool
	// ConnLow and ConnHigh are the connection manager's water marks;
	// default 32 and 96.
	ConnLow, ConnHigh int
	// SyncInterval between anti-entropy rounds with connected peers and
	// rediscovery of district peers; default 30 seconds. A round between
	// peers in sync costs about 30 bytes each way, so a short interval is
	// cheap and lets a freshly connected district converge quickly.
	SyncInterval time.Duration
	// NewAuthorsPerPeer and NewAuthorsTotal cap the authors this vault
	// holds no entry of that remote peers bring in each NewAuthorsWindow:
	// per forwarding peer (gossip) and from all peers together (gossip and
	// sync); past a cap their entries are Ignored, and sync offers them
	// again in a later window. Authors already held, this node's entries,
	// bundle imports and the Bootstrap and Relays peers are not limited.
	// Defaults 64, 1,024 and one hour.
	NewAuthorsPerPeer, NewAuthorsTotal int
	NewAuthorsWindow                   time.Duration
	// PendingSweep is the interval between vault sweeps of pending entries
	// past their TTL (vault.Quota); default 10 minutes.
	PendingSweep time.Duration
	// AllowPrivateProviders dials DHT provider addresses on private,
	// loopback and link-local networks (LAN meshes, tests on loopback);
	// by default they are dropped from DHT records.
	AllowPrivateProviders bool
	// Pins fixes district geneses by CID for the settlement views (see
	// settle.Pins); nil: every district's genesis is its earliest entry.
	Pins settle.Pins
}

func (c Config) withDefaults() Config {
	if c.Listen == nil {
		c.Listen = []ma.Multiaddr{
			ma.StringCast(fmt.Sprintf("/ip4/0.0.0.0/tcp/%d", DefaultPort)),
			ma.StringCast(fmt.Sprintf("/ip4/0.0.0.0/udp/%d/quic-v1", DefaultPort)),
		}
	}
	if c.ConnLow == 0 {
		c.ConnLow = DefaultConnLow
	}
	if c.ConnHigh == 0 {
		c.ConnHigh = max(DefaultConnHigh, c.ConnLow)
	}
	if c.SyncInterval == 0 {
		c.SyncInterval = DefaultSyncInterval
	}
	c.DHTServer = c.DHTServer || c.Server
	c.NewAuthorsPerPeer = cmp.Or(c.NewAuthorsPerPeer, DefaultNewAuthorsPerPeer)
	c.NewAuthorsTotal = cmp.Or(c.NewAuthorsTotal, DefaultNewAuthorsTotal)
	c.NewAuthorsWindow = cmp.Or(c.NewAuthorsWindow, DefaultNewAuthorsWindow)
	c.PendingSweep = cmp.Or(c.PendingSweep, 10*time.Minute)
	return c
}

// ErrConfig: a Config field is out of range.
var ErrConfig = errors.New("bad node config")

func (c Config) validate() error {
	switch {
	case c.ConnLow < 0 || c.ConnHigh < c.ConnLow:
		return fmt.Errorf("%w: connections low %d, high %d", ErrConfig, c.ConnLow, c.ConnHigh)
	case c.ForceReachability != "" && c.ForceReachability != ReachPublic && c.ForceReachability != ReachPrivate:
		return fmt.Errorf("%w: reachability %q is not public or private", ErrConfig, c.ForceReachability)
	case c.SyncInterval < time.Second:
		return fmt.Errorf("%w: sync interval %s under 1s", ErrConfig, c.SyncInterval)
	case c.NewAuthorsPerPeer < 0 || c.NewAuthorsTotal < 0 || c.NewAuthorsWindow < 0 || c.PendingSweep < 0:
		return fmt.Errorf("%w: negative new-author quota or sweep interval", ErrConfig)
	}
	for _, d := range c.Districts {
		if !protocol.ValidDistrict(d) {
			return fmt.Errorf("%w: district %q is not a lowercase path", ErrConfig, d)
		}
	}
	return nil
}
