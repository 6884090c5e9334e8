package node

import (
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/protocol"
)

// TestBrowseArenaThroughDHT: a peer of another district, whose only peer
// is a bare DHT server, reads a district's problem entries from a peer
// that follows it, found under mycel/1/arena/<district>, without
// following the district.
func TestBrowseArenaThroughDHT(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	d, err := dht.New(h, dht.Config{Server: true, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	start := func(district string) *Node {
		n, err := New(ctx, Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true, AllowPrivateProviders: true}, newVault(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		if err := n.Connect(ctx, peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()}); err != nil {
			t.Fatal(err)
		}
		waitRouting(t, ctx, n)
		return n
	}
	north, south := start("meso/north"), start("meso/south")
	var posted []protocol.Block
	for i := range 3 {
		e := protocol.Entry{Kind: arena.KindProblem, District: "meso/north", Time: time.Now().UnixMilli(), Body: problemBody(t, i)}
		b, err := north.Publish(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		posted = append(posted, b.Block)
	}
	publish(t, ctx, north, protocol.KindAttest, &protocol.Attest{Proof: protocol.LinkTo(posted[0].CID), Verdict: protocol.Valid})
	if err := north.announceArena(ctx); err != nil {
		t.Fatal(err)
	}
	var got []protocol.Block
	for { // the announcement reaches the server in the DHT's background
		if got, err = south.BrowseArena(ctx, "meso/north", arena.KindProblem, 10); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("browse: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	if len(got) != 3 {
		t.Fatalf("browsed %d problems, want 3", len(got))
	}
	for i, b := range got {
		if !b.CID.Equals(posted[i].CID) {
			t.Errorf("problem %d: %s, want %s", i, b.CID, posted[i].CID)
		}
	}
	if _, err := south.BrowseArena(ctx, "meso/north", protocol.KindAttest, 10); err == nil {
		t.Error("the arena stream served a kind that is not the arena's")
	}
}

// problemBody is the body of a problem entry.
func problemBody(t testing.TB, i int) []byte {
	t.Helper()
	b, err := protocol.EncodeBody(&arena.Problem{Domain: "MIP-AGR", Title: "irrigation pump " + string(rune('a'+i))})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
