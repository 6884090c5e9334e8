package gossip

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

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
	adj := topology(n, 2, rand.New(rand.NewPCG(1, 2)))
	m := newMesh(ctx, b, adj, latency)
	src, key := m.gs[0], newVault(b)
	var ids []string
	// publish sends one entry and waits until every other peer stored it
	// or patience runs out; it returns how many did and how long it took.
	publish := func(note string, patience time.Duration) (int, time.Duration) {
		blk, err := key.Append(key.Key(), attestEntry(b, district, note))
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, messageID(blk.Data))
		start := time.Now()
		if err := src.Publish(ctx, district, blk); err != nil {
			b.Fatal(err)
		}
		timeout := time.NewTimer(patience)
		defer timeout.Stop()
		seen := map[int]bool{}
		for len(seen) < n-1 {
			select {
			case i := <-m.got:
				seen[i] = true
			case <-timeout.C:
				return len(seen), time.Since(start)
			}
		}
		return len(seen), time.Since(start)
	}
	// One entry before timing: it opens the author's log everywhere and
	// the first RPCs of each link.
	if k, _ := publish("warm-up", 5*time.Second); k != n-1 {
		b.Fatalf("warm-up entry reached %d of %d peers", k, n-1)
	}
	ids = ids[:0]
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
	// Late copies still travel after the last peer stored an entry: pass
	// every router's loop (each peer forwards an entry in the loop turn
	// that delivers it), then wait until every copy sent has arrived.
	for _, g := range m.gs {
		g.ps.ListPeers(Topic(district))
	}
	if !m.ledger.wait(ctx, func() bool { return m.ledger.settled(ids) }) {
		b.Fatal("copies still in flight")
	}
	reach := total / time.Duration(b.N)
	b.ReportMetric(float64(delivered)/float64(b.N*(n-1)), "delivery-ratio")
	b.ReportMetric(float64(reach.Microseconds())/1000, "ms-to-all")
	b.ReportMetric(float64(floor.Microseconds())/1000, "ms-hop-floor")
	b.ReportMetric(float64(reach)/float64(floor), "x-floor")
	b.ReportMetric(float64(m.ledger.duplicates(ids))/float64(b.N*(n-1)), "dups/peer")
}
