package sim

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/mesocosm/mycel/node"
)

var (
	flagSeeds = flag.Int("seeds", 200, "number of seeds TestSeeds runs, from -first")
	flagFirst = flag.Uint64("first", 1, "first seed TestSeeds runs")
	flagSeed  = flag.Uint64("seed", 0, "replay this one seed (0: run -seeds seeds)")
	flagPeers = flag.Int("peers", 10, "peers per seed")
	flagSteps = flag.Int("steps", 40, "workload and fault steps per seed")
	flagLossy = flag.Bool("lossy", true, "the nemesis also drops and duplicates gossip messages")
	flagBound = flag.Duration("bound", 0, "delivery bound after the last heal (0: 2s per hop of the topology's diameter)")
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// simConfig is the node configuration every simulated peer runs.
func simConfig() node.Config {
	return node.Config{Districts: []string{district}, NoPortMap: true}
}

// outcome is what one seed's run measured.
type outcome struct {
	converged time.Duration // virtual time from the last heal to agreement
	bound     time.Duration
	hops      int  // the topology's diameter
	late      bool // converged past bound: the seed fails
	entries   int
}

// runSeed plays one seed with n peers and checks the invariants.
func runSeed(t *testing.T, seed uint64, n, nsteps int, lossy bool) outcome {
	var out outcome
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, seed, n, simConfig())
		w.lossy = lossy
		defer w.close()
		w.genesis()
		w.run(nsteps, 2*time.Second)
		healed := w.healAll()
		out.hops, out.bound = w.diameter(), *flagBound
		if out.bound == 0 {
			out.bound = 2 * time.Second * time.Duration(out.hops)
		}
		conv, err := w.converge(healed, 3*time.Second, 5*time.Minute)
		out.converged, out.entries = conv, w.peers[0].store.Count()
		out.late = err == nil && conv > out.bound
		if out.late {
			err = fmt.Errorf("converged %s after the last heal, past the bound %s", conv, out.bound)
		}
		if err == nil {
			err = w.invariants()
		}
		if err != nil {
			w.fail(err, n)
		}
		if *flagSeed != 0 && testing.Verbose() {
			t.Logf("trace:\n%s", w.traceText())
		}
	})
	return out
}

// traceText is the trace so far, one line per event.
func (w *world) traceText() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.trace, "\n")
}

func (w *world) fail(err error, n int) {
	w.t.Fatalf("seed %d: %v\nreplay: go test ./sim -run TestSeeds -seed %d -peers %d -steps %d -lossy=%v -v\ntrace:\n%s",
		w.seed, err, w.seed, n, *flagSteps, w.lossy, w.traceText())
}

// TestSeeds runs -seeds seeds of -peers peers (CI: 200 of 10), or replays
// -seed.
func TestSeeds(t *testing.T) {
	first, count := *flagFirst, uint64(*flagSeeds)
	if *flagSeed != 0 {
		first, count = *flagSeed, 1
	}
	start := time.Now()
	var mu sync.Mutex
	var perHop []time.Duration // converged / diameter, one per passing seed
	for seed := first; seed < first+count; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			o := runSeed(t, seed, *flagPeers, *flagSteps, *flagLossy)
			mu.Lock()
			perHop = append(perHop, o.converged/time.Duration(max(o.hops, 1)))
			mu.Unlock()
			if testing.Verbose() {
				t.Logf("seed %d: %d entries, converged %s after the last heal (bound %s)", seed, o.entries, o.converged, o.bound)
			}
		})
	}
	t.Cleanup(func() {
		el := time.Since(start)
		slices.Sort(perHop)
		var p99, worst time.Duration
		if n := len(perHop); n > 0 {
			p99, worst = perHop[min(n-1, n*99/100)], perHop[n-1]
		}
		t.Logf("%d seeds of %d peers (message faults %v) in %s: %.1f seeds/s; convergence after the last heal per hop of diameter: p99 %s, worst %s",
			count, *flagPeers, *flagLossy, el.Round(time.Millisecond), float64(count)/el.Seconds(), p99.Round(time.Millisecond), worst.Round(time.Millisecond))
	})
}

// TestLong runs seeds of 100 peers (MYCEL_SIM_LONG=1).
func TestLong(t *testing.T) {
	if os.Getenv("MYCEL_SIM_LONG") != "1" {
		t.Skip("set MYCEL_SIM_LONG=1")
	}
	for seed := *flagFirst; seed < *flagFirst+5; seed++ {
		start := time.Now()
		o := runSeed(t, seed, 100, 100, *flagLossy)
		t.Logf("seed %d, 100 peers: %d entries, converged %s virtual after the last heal (bound %s), %s real", seed, o.entries, o.converged, o.bound, time.Since(start).Round(time.Millisecond))
	}
}

// TestDeliveryAfterHeal replays seed 4, the smallest seed of the first
// sixty whose peers converged past the delivery bound (2 s per hop) after
// the last heal while entries that sync brought crossed one hop per sync
// round (30 s): the peer five hops off the side that held them caught up
// 80 s after the heal. A round that stores new entries now kicks rounds
// with the other peers.
func TestDeliveryAfterHeal(t *testing.T) {
	runSeed(t, 4, 10, 40, false)
}

// TestRestoredBranch replays seed 368: peer 7, restored from a copy of
// its store older than its seq 1, writes seq 1' and 2' while the others
// hold its seq 1. Its one neighbour held 2' pending (it chains to the
// fork 1', not to the logged 1) and, its vector equal to everyone
// else's, passed it on to nobody: the peers never converged. A forked
// author's fork set now holds every entry from its first fork on, and
// the views count a forked author's pending entries.
func TestRestoredBranch(t *testing.T) {
	runSeed(t, 368, 10, 40, false)
}
