package gossip

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
)

// dupTracer counts duplicate deliveries to one peer.
type dupTracer struct{ dups *atomic.Int64 }

func (d dupTracer) DuplicateMessage(*pubsub.Message)                   { d.dups.Add(1) }
func (dupTracer) OnNewOutboundStream(peer.ID, protocol.ID)             {}
func (dupTracer) OnClosedOutboundStream(peer.ID)                       {}
func (dupTracer) Join(string)                                          {}
func (dupTracer) Leave(string)                                         {}
func (dupTracer) Graft(peer.ID, string)                                {}
func (dupTracer) Prune(peer.ID, string)                                {}
func (dupTracer) ValidateMessage(*pubsub.Message)                      {}
func (dupTracer) DeliverMessage(*pubsub.Message)                       {}
func (dupTracer) RejectMessage(*pubsub.Message, string)                {}
func (dupTracer) ThrottlePeer(peer.ID)                                 {}
func (dupTracer) RecvRPC(*pubsub.RPC)                                  {}
func (dupTracer) SendRPC(*pubsub.RPC, peer.ID)                         {}
func (dupTracer) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (dupTracer) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (dupTracer) UndeliverableMessage(*pubsub.Message)                 {}

// topology links n peers in a ring plus k random chords each, and returns
// the adjacency lists.
func topology(n, k int, rng *rand.Rand) [][]int {
	adj := make([]map[int]bool, n)
	for i := range adj {
		adj[i] = map[int]bool{}
	}
	link := func(a, b int) {
		if a != b {
			adj[a][b], adj[b][a] = true, true
		}
	}
	for i := range n {
		link(i, (i+1)%n)
		for range k {
			link(i, rng.IntN(n))
		}
	}
	out := make([][]int, n)
	for i, m := range adj {
		for j := range m {
			out[i] = append(out[i], j)
		}
	}
	return out
}

// eccentricity is the hop count from src to the farthest peer: the floor
// on any delivery's path length.
func eccentricity(adj [][]int, src int) int {
	dist := map[int]int{src: 0}
	queue, far := []int{src}, 0
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range adj[x] {
			if _, ok := dist[y]; !ok {
				dist[y] = dist[x] + 1
				far = max(far, dist[y])
				queue = append(queue, y)
			}
		}
	}
	return far
}

// BenchmarkGossip50 publishes entries from one peer of a 50-peer mocknet
// (5 ms per link) and waits until every other peer stored each one. It
// reports the delivery ratio, the time to reach all peers against the hop
// floor (eccentricity x link latency) and duplicates per peer per entry.
func BenchmarkGossip50(b *testing.B) {
	const n, latency = 50, 5 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	mn := mocknet.New()
	defer mn.Close()
	adj := topology(n, 2, rand.New(rand.NewPCG(1, 2)))
	var dups atomic.Int64
	got := make(chan int, n*4)
	joined := make(chan int, n*n)
	gs := make([]*Gossip, n)
	hs := make([]peer.ID, n)
	for i := range n {
		h, err := mn.GenPeer()
		if err != nil {
			b.Fatal(err)
		}
		v := newVault(b)
		onPeer := func(string, peer.ID, bool) { joined <- i }
		g, err := New(h, Config{Store: put1(v), OnTopicPeer: onPeer}, pubsub.WithRawTracer(dupTracer{&dups}))
		if err != nil {
			b.Fatal(err)
		}
		defer g.Close()
		gs[i], hs[i] = g, h.ID()
	}
	mn.SetLinkDefaults(mocknet.LinkOptions{Latency: latency})
	for i, nb := range adj {
		for _, j := range nb {
			if i < j {
				if _, err := mn.LinkPeers(hs[i], hs[j]); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	for i, g := range gs {
		sub, err := g.Subscribe(district)
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Cancel()
		go func() {
			for {
				if _, err := sub.Next(ctx); err != nil {
					return
				}
				got <- i
			}
		}()
	}
	for i, nb := range adj {
		for _, j := range nb {
			if i < j {
				if _, err := mn.ConnectPeers(hs[i], hs[j]); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	// Wait until every peer sees all its neighbours on the topic.
	waiting := 0
	for _, nb := range adj {
		waiting += len(nb)
	}
	for ; waiting > 0; waiting-- {
		select {
		case <-joined:
		case <-ctx.Done():
			b.Fatalf("%d topic joins missing", waiting)
		}
	}
	src := gs[0]
	key := newVault(b)
	// publish sends one entry and waits until every other peer stored it
	// or patience runs out; it returns how many did and how long it took.
	publish := func(note string, patience time.Duration) (int, time.Duration) {
		blk, err := key.Append(key.Key(), attestEntry(b, district, note))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := src.Publish(ctx, district, blk); err != nil {
			b.Fatal(err)
		}
		timeout := time.NewTimer(patience)
		defer timeout.Stop()
		seen := map[int]bool{}
		for len(seen) < n-1 {
			select {
			case i := <-got:
				seen[i] = true
			case <-timeout.C:
				return len(seen), time.Since(start)
			}
		}
		return len(seen), time.Since(start)
	}
	// Warm up until one entry reaches everyone: meshes form on the first
	// heartbeats, and an entry forwarded before that can miss peers.
	for i := 0; ; i++ {
		if got, _ := publish(fmt.Sprint("warm-up ", i), 3*time.Second); got == n-1 {
			break
		}
		if i == 10 {
			b.Fatal("meshes never formed")
		}
	}
	for len(got) > 0 {
		<-got
	}
	dups.Store(0)
	floor := time.Duration(eccentricity(adj, 0)) * latency
	var total time.Duration
	delivered := 0
	b.ResetTimer()
	for i := range b.N {
		k, d := publish(fmt.Sprint("entry ", i), 10*time.Second)
		delivered += k
		total += d
	}
	b.StopTimer()
	reach := total / time.Duration(b.N)
	b.ReportMetric(float64(delivered)/float64(b.N*(n-1)), "delivery-ratio")
	b.ReportMetric(float64(reach.Microseconds())/1000, "ms-to-all")
	b.ReportMetric(float64(floor.Microseconds())/1000, "ms-hop-floor")
	b.ReportMetric(float64(reach)/float64(floor), "x-floor")
	b.ReportMetric(float64(dups.Load())/float64(b.N*(n-1)), "dups/peer")
}
