package node

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/peer"
	p2pproto "github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/proto"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/protocol"
)

// startNode starts a node with cfg on a fresh vault, following district.
func startNode(t testing.TB, cfg Config, opts ...Option) *Node {
	t.Helper()
	cfg.Districts, cfg.NoPortMap = []string{district}, true
	n, err := New(context.Background(), cfg, newVault(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// errRelayOnly turns every entry away from the relay server, so that it
// cannot pass entries on by itself.
var errRelayOnly = errors.New("relay only")

// relayServer starts a server-profile node forced public that stores no
// entries, and waits until its relay service speaks the hop protocol.
func relayServer(t testing.TB, ctx context.Context) *Node {
	t.Helper()
	s := startNode(t, Config{Server: true, ForceReachability: ReachPublic, Listen: loopback()},
		WithCheck(func(protocol.Block) protocol.Verdict { return protocol.Ignored(errRelayOnly) }))
	sub, err := s.host.EventBus().Subscribe(new(event.EvtLocalProtocolsUpdated))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	for !slices.Contains(s.host.Mux().Protocols(), p2pproto.ID(proto.ProtoIDv2Hop)) {
		select {
		case <-sub.Out():
		case <-ctx.Done():
			t.Fatal("relay service never started")
		}
	}
	return s
}

// circuitAddrs waits for n's host to announce /p2p-circuit addresses.
func circuitAddrs(t testing.TB, ctx context.Context, n *Node) []ma.Multiaddr {
	t.Helper()
	sub, err := n.host.EventBus().Subscribe(new(event.EvtLocalAddressesUpdated))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	for {
		var out []ma.Multiaddr
		for _, a := range n.host.Addrs() {
			if isCircuit(a) {
				out = append(out, a)
			}
		}
		if len(out) > 0 {
			return out
		}
		select {
		case <-sub.Out():
		case <-ctx.Done():
			t.Fatalf("no circuit address; host addrs %v", n.host.Addrs())
		}
	}
}

// TestRelayedPeer: a laptop that believes itself private and listens on
// nothing (no inbound path, as behind a NAT) reserves a slot on a server
// node and announces a circuit address through it; a third peer, also
// listening on nothing, so that neither can dial the other directly,
// reaches the laptop through that address,
// receives its entry by sync over the limited connection, sees the
// connection as relayed and measures its latency.
func TestRelayedPeer(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	server := relayServer(t, ctx)
	laptop := startNode(t, Config{
		Listen: []ma.Multiaddr{}, Relays: []peer.AddrInfo{server.AddrInfo()}, ForceReachability: ReachPrivate,
	})
	circuits := circuitAddrs(t, ctx, laptop)
	for _, a := range circuits {
		if id, _ := a.ValueForProtocol(ma.P_P2P); id != server.ID().String() {
			t.Fatalf("circuit address %s not through the relay %s", a, server.ID())
		}
	}
	if got, want := laptop.Reach().String(), "private: behind NAT, reachable through relay "+server.ID().String(); got != want {
		t.Fatalf("laptop reachability %q, want %q", got, want)
	}

	blk, err := laptop.Publish(ctx, attest(t, "from behind the NAT"))
	if err != nil {
		t.Fatal(err)
	}
	third := startNode(t, Config{Listen: []ma.Multiaddr{}}) // behind a NAT too: no direct path either way
	ev, stop := third.Subscribe(256)
	defer stop()
	if err := third.Connect(ctx, peer.AddrInfo{ID: laptop.ID(), Addrs: circuits}); err != nil {
		t.Fatal(err)
	}
	var got Stored
	pinged := false
	waitFor(t, ctx, ev, "the laptop's entry and a ping to it on the third peer", func(e Event) bool {
		switch e := e.(type) {
		case Stored:
			if e.Block.CID == blk.CID {
				got = e
			}
		case PeerLatency:
			pinged = pinged || e.Peer == laptop.ID()
		}
		return pinged && got.Block.CID == blk.CID
	})
	if got.Source != Sync {
		t.Fatalf("entry came by %s, want sync", got.Source)
	}
	if _, err := server.store.Get(blk.CID); err == nil {
		t.Fatal("the relay stored the entry: it may have passed it on")
	}
	info := peerInfo(t, third, laptop.ID())
	if !info.Relayed || info.Direct {
		t.Fatalf("third peer's connection to the laptop: relayed %v direct %v, want relayed only", info.Relayed, info.Direct)
	}
	if info.Latency <= 0 {
		t.Fatalf("latency to the laptop %s, want > 0", info.Latency)
	}
}

func peerInfo(t testing.TB, n *Node, p peer.ID) PeerInfo {
	t.Helper()
	for _, info := range n.Peers() {
		if info.ID == p {
			return info
		}
	}
	t.Fatalf("%s not among the peers of %s", p, n.ID())
	return PeerInfo{}
}
