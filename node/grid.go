package node

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/protocol"
)

// GridRuntime is the capability OpenGrid providers announce: WebAssembly
// modules under WASI preview 1. Its DHT key is mycel/1/grid/wasm, and
// mycel/1/grid/wasm/<district> for each district a provider serves.
const GridRuntime = "wasm"

// gridKey is the DHT key of the providers of district ("" for any).
func gridKey(district string) dht.Key {
	if district == "" {
		return dht.GridKey(GridRuntime)
	}
	return dht.GridKey(GridRuntime + "/" + district)
}

// gridOffer is what the node announces as a compute provider.
type gridOffer struct {
	mu        sync.Mutex
	on        bool
	districts []string
}

func (g *gridOffer) offering() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.on
}

func (g *gridOffer) keys() []dht.Key {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.on {
		return nil
	}
	keys := []dht.Key{gridKey("")}
	for _, d := range g.districts {
		keys = append(keys, gridKey(d))
	}
	return keys
}

// OfferGrid makes the node a compute provider in the DHT: it announces
// itself under mycel/1/grid/wasm and under the key of each district it
// serves, now (when its routing table has peers) and again on every
// discovery round, so that requesters find it by lookup, not only among
// the peers they know. Calling it again replaces the districts.
func (n *Node) OfferGrid(ctx context.Context, districts []string) error {
	for _, d := range districts {
		if !protocol.ValidDistrict(d) {
			return fmt.Errorf("grid offer: district %q is not a lowercase path like meso-valley/north", d)
		}
	}
	n.grid.mu.Lock()
	n.grid.on, n.grid.districts = true, slices.Clone(districts)
	n.grid.mu.Unlock()
	return n.provideGrid(ctx)
}

// WithdrawGrid stops announcing the node as a provider; the DHT's records
// of it expire on their own (kad-dht keeps a provider record 48 hours).
func (n *Node) WithdrawGrid() {
	n.grid.mu.Lock()
	n.grid.on, n.grid.districts = false, nil
	n.grid.mu.Unlock()
}

// provideGrid announces the node under its grid keys; it returns the
// first error, dht.ErrNoPeers while the routing table is empty.
func (n *Node) provideGrid(ctx context.Context) error {
	var first error
	for _, k := range n.grid.keys() {
		if err := n.dht.Provide(ctx, k); err != nil && first == nil {
			first = fmt.Errorf("grid offer: %w", err)
		}
	}
	return first
}

// FindGridProviders looks up, through the DHT, up to limit compute
// providers serving district ("" for any district), excluding this node.
// It waits at most until ctx ends or the lookup does.
func (n *Node) FindGridProviders(ctx context.Context, district string, limit int) ([]peer.AddrInfo, error) {
	if district != "" && !protocol.ValidDistrict(district) {
		return nil, fmt.Errorf("grid lookup: district %q is not a lowercase path like meso-valley/north", district)
	}
	if n.dht.Size() == 0 {
		return nil, fmt.Errorf("grid lookup: %w: connect to a peer first (mycel connect)", dht.ErrNoPeers)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	found, err := n.dht.FindProviders(ctx, gridKey(district), limit)
	if err != nil {
		return nil, fmt.Errorf("grid lookup: %w", err)
	}
	return found, nil
}
