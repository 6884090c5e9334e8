package gossip

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
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
		slices.Sort(out[i])
	}
	return out
}

// latencies gives each link of adj a latency drawn by draw, the same in
// both directions.
type latencies map[[2]int]time.Duration

func newLatencies(adj [][]int, draw func() time.Duration) latencies {
	l := latencies{}
	for i, nb := range adj {
		for _, j := range nb {
			if i < j {
				l[[2]int{i, j}] = draw()
			}
		}
	}
	return l
}

func (l latencies) of(i, j int) time.Duration { return l[[2]int{min(i, j), max(i, j)}] }

// arrivals returns the weighted shortest path from src to every peer:
// the earliest an entry can reach it.
func arrivals(adj [][]int, lat latencies, src int) []time.Duration {
	const inf = time.Duration(1 << 62)
	t := make([]time.Duration, len(adj))
	done := make([]bool, len(adj))
	for i := range t {
		t[i] = inf
	}
	t[src] = 0
	for range adj {
		x := -1
		for i := range t {
			if !done[i] && (x < 0 || t[i] < t[x]) {
				x = i
			}
		}
		done[x] = true
		for _, y := range adj[x] {
			t[y] = min(t[y], t[x]+lat.of(x, y))
		}
	}
	return t
}

// modelCopies counts the copies of one entry that gossipsub v1.2 sends
// when every neighbour is a mesh peer, forwarding and IDONTWANT take no
// time and every entry travels its shortest paths: a peer x forwards to
// each neighbour y except the first sender, unless y's IDONTWANT (sent
// when y received the entry) reached x by the time x forwards, that is
// unless t_y + latency(x, y) <= t_x. The publisher announces nothing.
// Every copy beyond the first per peer is a duplicate.
func modelCopies(adj [][]int, lat latencies, src int) int {
	t := arrivals(adj, lat, src)
	copies := 0
	for x, nb := range adj {
		parent := -1
		for _, y := range nb {
			if x != src && t[y]+lat.of(x, y) == t[x] {
				parent = y
				break
			}
		}
		for _, y := range nb {
			if y != parent && (y == src || t[y]+lat.of(x, y) > t[x]) {
				copies++
			}
		}
	}
	return copies
}

// BenchmarkGossip50 publishes entries from one peer of a 50-peer mocknet
// (a ring plus two random chords per peer) and waits until every other
// peer stored each one, on two networks of the same topology: every link
// at 5 ms (uniform), and each link drawn uniformly from 5-80 ms, as
// between homes, villages and data centres (heterogeneous). Each reports
// the delivery ratio, the time to reach all peers against the latency
// floor (the slowest weighted shortest path from the publisher),
// duplicates per peer per entry, the same figure from modelCopies, and
// the bound of one copy per link (each link carries at least one: both
// ends cannot have received the entry a link latency before the other).
// The heterogeneous run also reports its duplicates against the uniform
// run's when both ran.
func BenchmarkGossip50(b *testing.B) {
	const n = 50
	adj := topology(n, 2, rand.New(rand.NewPCG(1, 2)))
	uniform := newLatencies(adj, func() time.Duration { return 5 * time.Millisecond })
	rng := rand.New(rand.NewPCG(3, 4))
	spread := newLatencies(adj, func() time.Duration {
		return 5*time.Millisecond + time.Duration(rng.Int64N(int64(75*time.Millisecond)))
	})
	var reference float64
	b.Run("uniform", func(b *testing.B) { reference = benchGossip(b, adj, uniform) })
	b.Run("heterogeneous", func(b *testing.B) {
		if dups := benchGossip(b, adj, spread); reference > 0 {
			b.ReportMetric(dups/reference, "x-uniform-dups")
		}
	})
}

// benchGossip runs the benchmark on one network and returns the
// duplicates per peer per entry.
func benchGossip(b *testing.B, adj [][]int, lat latencies) float64 {
	n := len(adj)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	m := newMesh(ctx, b, adj, lat.of)
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
	floor := slices.Max(arrivals(adj, lat, 0))
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
	dups := float64(m.ledger.duplicates(ids)) / float64(b.N*(n-1))
	b.ReportMetric(float64(delivered)/float64(b.N*(n-1)), "delivery-ratio")
	b.ReportMetric(float64(reach.Microseconds())/1000, "ms-to-all")
	b.ReportMetric(float64(floor.Microseconds())/1000, "ms-floor")
	b.ReportMetric(float64(reach)/float64(floor), "x-floor")
	b.ReportMetric(dups, "dups/peer")
	b.ReportMetric(float64(modelCopies(adj, lat, 0)-(n-1))/float64(n-1), "dups-model")
	b.ReportMetric(float64(len(lat)-(n-1))/float64(n-1), "dups-bound")
	return dups
}
