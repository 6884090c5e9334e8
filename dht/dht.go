package dht

import (
	"context"
	"errors"
	"fmt"
	"sync"

	kad "github.com/libp2p/go-libp2p-kad-dht"
	record "github.com/libp2p/go-libp2p-record"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
	ma "github.com/multiformats/go-multiaddr"
)

// Prefix is the DHT protocol prefix: the protocol is /mycel/kad/1.0.0.
const Prefix = "/mycel"

// ErrNoPeers: the routing table is empty, so nothing can be provided or
// found yet.
var ErrNoPeers = errors.New("dht has no peers")

// Config configures the DHT. The zero value is a client with no bootstrap
// peers.
type Config struct {
	// Server answers queries and stores provider records for others.
	// Default false (client mode), right for laptops.
	Server bool
	// Bootstrap peers seed the routing table. Never the IPFS ones.
	Bootstrap []peer.AddrInfo
	// AllowPrivate keeps private, loopback and link-local addresses that
	// DHT records and answers name (LAN meshes, tests on loopback). By
	// default only public addresses are kept: a hostile record cannot
	// make this peer dial into its own network.
	AllowPrivate bool
}

// DHT is the private Kademlia DHT of one host.
type DHT struct {
	kad    *kad.IpfsDHT
	filter func([]ma.Multiaddr) []ma.Multiaddr
	once   sync.Once
	err    error
}

// New starts the DHT on h.
func New(h host.Host, cfg Config) (*DHT, error) {
	mode := kad.ModeClient
	if cfg.Server {
		mode = kad.ModeServer
	}
	opts := []kad.Option{
		kad.ProtocolPrefix(Prefix),
		kad.Mode(mode),
		kad.DisableValues(),
		kad.Validator(record.NamespacedValidator{}), // no /pk, no /ipns
		kad.BootstrapPeers(cfg.Bootstrap...),
		kad.AddressFilter(AddrFilter(cfg.AllowPrivate)),
	}
	k, err := kad.New(h, opts...)
	if err != nil {
		return nil, fmt.Errorf("dht start: %w", err)
	}
	return &DHT{kad: k, filter: AddrFilter(cfg.AllowPrivate)}, nil
}

// Routing exposes the DHT as content and peer routing, for auto-relay's
// peer source and for libp2p.
func (d *DHT) Routing() routing.Routing { return d.kad }

// Bootstrap refreshes the routing table from the connected and bootstrap
// peers and waits for the refresh to end.
func (d *DHT) Bootstrap(ctx context.Context) error {
	select {
	case err := <-d.kad.ForceRefresh():
		if err != nil {
			return fmt.Errorf("dht bootstrap: %w", err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Size is the number of peers in the routing table.
func (d *DHT) Size() int { return d.kad.RoutingTable().Size() }

// Provide announces that this peer provides k.
func (d *DHT) Provide(ctx context.Context, k Key) error {
	if d.Size() == 0 {
		return fmt.Errorf("dht provide %s: %w", k, ErrNoPeers)
	}
	if err := d.kad.Provide(ctx, k.CID, true); err != nil {
		return fmt.Errorf("dht provide %s: %w", k, err)
	}
	return nil
}

// FindProviders returns up to limit providers of k (limit <= 0: 20),
// excluding this peer, with the addresses the DHT's filter keeps (see
// Config.AllowPrivate); a provider may be left with none.
func (d *DHT) FindProviders(ctx context.Context, k Key, limit int) ([]peer.AddrInfo, error) {
	if limit <= 0 {
		limit = 20
	}
	self := d.kad.Host().ID()
	var out []peer.AddrInfo
	for p := range d.kad.FindProvidersAsync(ctx, k.CID, limit+1) {
		if p.ID != self && len(out) < limit {
			p.Addrs = d.filter(p.Addrs)
			out = append(out, p)
		}
	}
	if err := ctx.Err(); err != nil && len(out) == 0 {
		return nil, fmt.Errorf("dht find %s: %w", k, err)
	}
	return out, nil
}

// FindPeer looks up p's addresses, with those the DHT's filter keeps.
func (d *DHT) FindPeer(ctx context.Context, p peer.ID) (peer.AddrInfo, error) {
	if d.Size() == 0 {
		return peer.AddrInfo{}, fmt.Errorf("dht find peer %s: %w", p, ErrNoPeers)
	}
	ai, err := d.kad.FindPeer(ctx, p)
	if err != nil {
		return peer.AddrInfo{}, fmt.Errorf("dht find peer %s: %w", p, err)
	}
	ai.Addrs = d.filter(ai.Addrs)
	return ai, nil
}

// Close stops the DHT. It is safe to call twice.
func (d *DHT) Close() error {
	d.once.Do(func() {
		if err := d.kad.Close(); err != nil {
			d.err = fmt.Errorf("dht close: %w", err)
		}
	})
	return d.err
}
