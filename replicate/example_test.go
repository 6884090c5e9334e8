package replicate_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/replicate"
	"github.com/mesocosm/mycel/storage/mem"
)

// Two peers that were apart each wrote entries; one sync and both hold
// all of them. A fetch then asks for one block by CID.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	mn := mocknet.New()
	defer mn.Close()
	check := mip.Checker{MIPs: mip.Builtins()}.Check
	answered := make(chan replicate.Stats, 1)

	var svcs []*replicate.Service
	var stores []*mem.Store
	var ids []peer.ID
	for i := range 2 {
		h, err := mn.GenPeer()
		if err != nil {
			fmt.Println(err)
			return
		}
		key, _, _ := crypto.GenerateEd25519Key(nil)
		store := mem.New(key)
		cfg := replicate.Config{Check: check}
		if i == 1 {
			cfg.OnAnswered = func(_ peer.ID, st replicate.Stats, _ error) { answered <- st }
		}
		svc := replicate.New(h, store, cfg)
		defer svc.Close()
		svcs, stores, ids = append(svcs, svc), append(stores, store), append(ids, h.ID())
		for n := range 3 - 2*i { // the first writes 3 entries, the second 1
			body, _ := protocol.Marshal(map[string]any{"n": n})
			store.Append(key, protocol.Entry{Kind: "note", Body: body})
		}
	}
	mn.LinkAll()
	mn.ConnectAllButSelf()
	other := ids[1]

	st, err := svcs[0].Sync(ctx, other) // both sides learn
	fmt.Println("sent", st.Sent, "received", st.Received, err)
	fmt.Println("the other stored", (<-answered).New)

	head, _ := stores[1].Head(stores[1].ID())
	blocks, err := svcs[0].Fetch(ctx, other, []cid.Cid{head.CID})
	fmt.Println("fetched", len(blocks), err)
	// Output:
	// sent 3 received 1 <nil>
	// the other stored 3
	// fetched 1 <nil>
}
