package mem_test

import (
	"context"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage/mem"
)

// A node runs over a store in memory on a mocknet host; a copy taken
// before it publishes does not see the entry, as a backup would not.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	mn := mocknet.New()
	defer mn.Close()
	key, _, _ := crypto.GenerateEd25519Key(nil)
	h, err := mn.AddPeer(key, ma.StringCast("/ip4/10.0.0.1/tcp/4001")) // the store's identity is the host's
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := node.Config{Districts: []string{"meso-valley/north"}, NoPortMap: true}

	s := mem.New(key)
	n, err := node.New(ctx, cfg, s, node.WithHost(h))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer n.Close()
	old := s.Clone() // a copy to restore later

	body, _ := protocol.EncodeBody(&protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte("a proof"))), Verdict: protocol.Valid})
	blk, err := n.Publish(ctx, protocol.Entry{Kind: "attest", District: "meso-valley/north", Body: body})
	if err != nil {
		fmt.Println(err)
	}
	inStore, _ := s.Has(blk.CID)
	inCopy, _ := old.Has(blk.CID)
	fmt.Println("store:", inStore, "copy:", inCopy)
	// Output: store: true copy: false
}
