package dht_test

import (
	"context"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"

	"github.com/mesocosm/mycel/dht"
)

// Three peers in a line, A - B - C: A provides a district, and C, which
// has never met A, finds it through B.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	mn := mocknet.New()
	defer mn.Close()
	var hs []host.Host
	var ds []*dht.DHT
	for range 3 {
		h, err := mn.GenPeer()
		if err != nil {
			fmt.Println(err)
			return
		}
		d, err := dht.New(h, dht.Config{Server: true})
		if err != nil {
			fmt.Println(err)
			return
		}
		defer d.Close()
		hs, ds = append(hs, h), append(ds, d)
	}
	mn.LinkAll()
	for _, pair := range [][2]host.Host{{hs[0], hs[1]}, {hs[1], hs[2]}} {
		pair[0].Connect(ctx, peer.AddrInfo{ID: pair[1].ID(), Addrs: pair[1].Addrs()})
	}
	for _, d := range ds {
		d.WaitPeers(ctx, 1)
	}

	err := ds[0].Provide(ctx, dht.DistrictKey("meso-valley/north"))
	fmt.Println("provided:", err)
	// Provide does not wait for its records to be stored: ask until found.
	for ctx.Err() == nil {
		peers, err := ds[2].FindProviders(ctx, dht.DistrictKey("meso-valley/north"), 20)
		if err != nil || len(peers) > 0 {
			fmt.Println("found A:", len(peers) == 1 && peers[0].ID == hs[0].ID(), err)
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
	// Output:
	// provided: <nil>
	// found A: true <nil>
}
