package gossip

import (
	"context"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
)

// mesh is a mocknet of gossiping peers, all subscribed to district.
type mesh struct {
	gs     []*Gossip
	got    chan int // index of a peer that stored an entry
	ledger *ledger
}

// newMesh links and connects one peer per entry of adj (adjacency lists),
// the link between peers i and j with latency(i, j), and returns once
// every peer's gossip mesh holds D_lo peers or all its neighbours: an
// entry published before that can stop at a peer whose mesh is still
// empty, and gossipsub never sends IHAVE to mesh peers, so a neighbour
// grafted later would not learn of it from gossip.
func newMesh(ctx context.Context, tb testing.TB, adj [][]int, latency func(i, j int) time.Duration) *mesh {
	n := len(adj)
	mn := mocknet.New()
	tb.Cleanup(func() { mn.Close() })
	m := &mesh{gs: make([]*Gossip, n), got: make(chan int, n*4), ledger: newLedger(n)}
	hs := make([]peer.ID, n)
	for i := range n {
		h, err := mn.GenPeer()
		if err != nil {
			tb.Fatal(err)
		}
		g, err := New(h, Config{Store: put1(newVault(tb))}, pubsub.WithRawTracer(m.ledger.tracer(i)))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { g.Close() })
		m.gs[i], hs[i] = g, h.ID()
		m.subscribe(ctx, tb, i)
	}
	for i, nb := range adj {
		for _, j := range nb {
			if i < j {
				l, err := mn.LinkPeers(hs[i], hs[j])
				if err != nil {
					tb.Fatal(err)
				}
				l.SetOptions(mocknet.LinkOptions{Latency: latency(i, j)})
				if _, err := mn.ConnectPeers(hs[i], hs[j]); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	dlo := Params().Dlo
	formed := func() bool {
		for i, nb := range adj {
			if len(m.ledger.mesh[i]) < min(dlo, len(nb)) {
				return false
			}
		}
		return true
	}
	if !m.ledger.wait(ctx, formed) {
		tb.Fatal("gossip meshes did not form")
	}
	return m
}

// subscribe feeds peer i's deliveries into m.got until ctx ends.
func (m *mesh) subscribe(ctx context.Context, tb testing.TB, i int) {
	sub, err := m.gs[i].Subscribe(district)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(sub.Cancel)
	go func() {
		for {
			if _, err := sub.Next(ctx); err != nil {
				return
			}
			m.got <- i
		}
	}()
}
