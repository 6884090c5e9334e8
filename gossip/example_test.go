package gossip_test

import (
	"context"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"

	"github.com/mesocosm/mycel/gossip"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/storage/mem"
)

// putOne stores one block in s: the shape gossip.Config.Store takes.
func putOne(s storage.Writer) func(protocol.Block) (storage.Result, error) {
	return func(b protocol.Block) (storage.Result, error) {
		rs, err := s.Put(b)
		if err != nil {
			return storage.Result{}, err
		}
		return rs[0], nil
	}
}

// Two peers on an in-memory network join one district's topic; an entry
// one publishes reaches the other checked and already stored.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	mn := mocknet.New()
	defer mn.Close()
	check := mip.Checker{MIPs: mip.Builtins()}.Check
	joined := make(chan peer.ID, 2)

	var gs []*gossip.Gossip
	var stores []*mem.Store
	for range 2 {
		h, err := mn.GenPeer()
		if err != nil {
			fmt.Println(err)
			return
		}
		key, _, _ := crypto.GenerateEd25519Key(nil)
		store := mem.New(key)
		onPeer := func(_ string, p peer.ID, in bool) {
			if in {
				joined <- p
			}
		}
		g, err := gossip.New(h, gossip.Config{Check: check, Store: putOne(store), OnTopicPeer: onPeer})
		if err != nil {
			fmt.Println(err)
			return
		}
		defer g.Close()
		gs, stores = append(gs, g), append(stores, store)
	}
	mn.LinkAll()
	mn.ConnectAllButSelf()

	sub, err := gs[1].Subscribe("meso-valley/north")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sub.Cancel()
	gs[0].Subscribe("meso-valley/north")
	<-joined // each peer sees the other join the topic
	<-joined

	body, _ := protocol.EncodeBody(&protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte("a proof"))), Verdict: protocol.Valid})
	block, _ := stores[0].Append(stores[0].Key(), protocol.Entry{Kind: protocol.KindAttest, District: "meso-valley/north", Body: body})
	if err := gs[0].Publish(ctx, "meso-valley/north", block); err != nil {
		fmt.Println(err)
		return
	}
	d, err := sub.Next(ctx) // an accepted, stored block from a peer
	if err != nil {
		fmt.Println(err)
		return
	}
	held, _ := stores[1].Has(block.CID)
	fmt.Println(d.Block.CID == block.CID, d.Result.Status, "held:", held)
	// Output: true new held: true
}
