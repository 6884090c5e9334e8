package node_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// Two peers of one district on loopback (no port mapping, no mDNS, no
// bootstrap peers): an attestation one publishes is stored by the other.
func Example() {
	ctx, stop := context.WithTimeout(context.Background(), 20*time.Second)
	defer stop()
	dir, _ := os.MkdirTemp("", "node")
	defer os.RemoveAll(dir)
	cfg := node.Config{
		Listen:    []ma.Multiaddr{ma.StringCast("/ip4/127.0.0.1/tcp/0")},
		Districts: []string{"meso-valley/north"},
		NoPortMap: true,
	}
	start := func(name string) *node.Node {
		v, err := vault.Create(filepath.Join(dir, name+".db"), vault.Options{})
		if err != nil {
			panic(err)
		}
		n, err := node.New(ctx, cfg, v)
		if err != nil {
			panic(err)
		}
		return n
	}
	a, b := start("a"), start("b")
	defer a.Close()
	defer b.Close()

	onA, stopA := a.Subscribe(64)
	defer stopA()
	events, cancel := b.Subscribe(64)
	defer cancel()
	if err := a.Connect(ctx, b.AddrInfo()); err != nil {
		fmt.Println(err)
		return
	}
	// Wait until b is on a's topic, so that gossip reaches it.
	if _, err := waitFor(ctx, onA, func(e node.Event) bool {
		tp, ok := e.(node.TopicPeer)
		return ok && tp.Peer == b.ID() && tp.Joined
	}); err != nil {
		fmt.Println(err)
		return
	}

	body, _ := protocol.EncodeBody(&protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte("a proof"))), Verdict: protocol.Valid})
	blk, err := a.Publish(ctx, protocol.Entry{Kind: "attest", District: "meso-valley/north", Body: body})
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := waitFor(ctx, events, func(e node.Event) bool {
		s, ok := e.(node.Stored)
		return ok && s.Block.CID == blk.CID
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("b stored a's entry:", e.(node.Stored).Result.Status)
	// Output: b stored a's entry: new
}

// waitFor returns the first event that want accepts, or ctx's error.
func waitFor(ctx context.Context, events <-chan node.Event, want func(node.Event) bool) (node.Event, error) {
	for {
		select {
		case e := <-events:
			if want(e) {
				return e, nil
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
