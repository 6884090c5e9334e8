package node

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	kad "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/dht"
)

// dialCounter is a connection gater that counts and refuses dials to the
// made-up providers, so that nothing is ever sent to their addresses.
type dialCounter struct {
	mu     sync.Mutex
	fake   map[peer.ID]bool
	dialed map[peer.ID]int
}

func (g *dialCounter) InterceptPeerDial(p peer.ID) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.fake[p] {
		return true
	}
	g.dialed[p]++
	return false
}

func (g *dialCounter) counts() (peers, dials int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, n := range g.dialed {
		peers, dials = peers+1, dials+n
	}
	return peers, dials
}

func (g *dialCounter) InterceptAddrDial(peer.ID, ma.Multiaddr) bool { return true }
func (g *dialCounter) InterceptAccept(network.ConnMultiaddrs) bool  { return true }
func (g *dialCounter) InterceptSecured(network.Direction, peer.ID, network.ConnMultiaddrs) bool {
	return true
}
func (g *dialCounter) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) {
	return true, 0
}

// recordServer is a hostile DHT server, without address filtering, whose
// records name n made-up providers of the district, each at 10 loopback
// addresses where nothing listens.
func recordServer(t *testing.T, n int, real ...host.Host) (host.Host, map[peer.ID]bool) {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	d, err := kad.New(h, kad.ProtocolPrefix(dht.Prefix), kad.Mode(kad.ModeServer), kad.DisableValues())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(); h.Close() })
	fake := map[peer.ID]bool{}
	for i := range n {
		k, _, err := crypto.GenerateEd25519Key(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := peer.IDFromPrivateKey(k)
		fake[id] = true
		var addrs []ma.Multiaddr
		for j := range 10 {
			addrs = append(addrs, ma.StringCast(fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", 1+i*10+j)))
		}
		provide(t, d, peer.AddrInfo{ID: id, Addrs: addrs})
	}
	for _, r := range real {
		provide(t, d, peer.AddrInfo{ID: r.ID(), Addrs: r.Addrs()})
	}
	return h, fake
}

func provide(t *testing.T, d *kad.IpfsDHT, info peer.AddrInfo) {
	t.Helper()
	if err := d.ProviderStore().AddProvider(context.Background(), dht.DistrictKey(district).CID.Hash(), info); err != nil {
		t.Fatal(err)
	}
}

// gatedNode starts a node on a host whose gater counts dials to fake, and
// connects it to srv, waiting until srv is in its routing table.
func gatedNode(t *testing.T, ctx context.Context, cfg Config, srv host.Host, fake map[peer.ID]bool) (*Node, *dialCounter) {
	t.Helper()
	g := &dialCounter{fake: fake, dialed: map[peer.ID]int{}}
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.ConnectionGater(g), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	cfg.Districts, cfg.NoPortMap, cfg.SyncInterval = []string{district}, true, time.Hour
	n, err := New(ctx, cfg, newVault(t), WithHost(h))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if err := h.Connect(ctx, peer.AddrInfo{ID: srv.ID(), Addrs: srv.Addrs()}); err != nil {
		t.Fatal(err)
	}
	if err := n.dht.WaitPeers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	return n, g
}

// TestProviderDialsBounded: a hostile DHT server's records name 40
// providers at 10 addresses each. With loopback allowed (as tests must
// ask for), two district rounds in one sync interval dial at most
// maxRoundDials providers, the next interval as many others (a failed one
// backs off).
// By default the records' loopback addresses are dropped: nothing is
// dialled.
func TestProviderDialsBounded(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	srv, fake := recordServer(t, 40)
	for _, c := range []struct {
		name      string
		cfg       Config
		max, want int
	}{
		{"loopback allowed", Config{AllowPrivateProviders: true}, maxRoundDials, maxRoundDials},
		{"public only", Config{}, 0, 0},
	} {
		n, g := gatedNode(t, ctx, c.cfg, srv, fake)
		n.districtRound(ctx)
		n.districtRound(ctx)
		peers, dials := g.counts()
		t.Logf("%s: %d dials to %d of 40 providers in two rounds", c.name, dials, peers)
		if peers > c.max || dials != peers || peers < c.want {
			t.Errorf("%s: %d dials to %d providers, want %d, each once", c.name, dials, peers, c.want)
		}
		// The next interval dials others: the failed ones back off.
		n.peers.dials.mu.Lock()
		n.peers.dials.start = time.Time{}
		n.peers.dials.mu.Unlock()
		n.districtRound(ctx)
		p, d := g.counts()
		t.Logf("%s, next interval: %d dials to %d providers in all", c.name, d, p)
		if p > 2*c.max || d != p || c.want == maxRoundDials && p != 2*c.want {
			t.Errorf("%s, next interval: %d dials to %d providers, want at most %d, each once", c.name, d, p, 2*c.max)
		}
	}
}

// TestProviderDialsWithinHighWater: the records name five live peers; a
// node whose connection manager's high water is 3, connected to the DHT
// server, dials two of them and, holding 3 connections, no more.
func TestProviderDialsWithinHighWater(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	var live []host.Host
	for range 5 {
		h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableMetrics())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		live = append(live, h)
	}
	srv, fake := recordServer(t, 0, live...)
	n, _ := gatedNode(t, ctx, Config{AllowPrivateProviders: true, ConnLow: 3, ConnHigh: 3}, srv, fake)
	for range 3 {
		n.peers.dials.mu.Lock()
		n.peers.dials.start = time.Time{} // a new interval each time
		n.peers.dials.mu.Unlock()
		n.districtRound(ctx)
		if got := len(n.host.Network().Peers()); got > 3 {
			t.Fatalf("%d peers connected, high water 3", got)
		}
	}
	if got := len(n.host.Network().Peers()); got != 3 {
		t.Errorf("%d peers connected, want the high water 3", got)
	}
}
