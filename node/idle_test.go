package node

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/metrics"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// sentCounter counts the bytes a host writes on its streams, at once
// (metrics.BandwidthCounter totals lag by up to a second).
type sentCounter struct {
	*metrics.BandwidthCounter
	sent atomic.Int64
}

func (c *sentCounter) LogSentMessage(n int64) { c.sent.Add(n) }

// The other reports are dropped: metering them would start the flow
// metrics' sweeper goroutine, which outlives the test.
func (c *sentCounter) LogRecvMessage(int64)                             {}
func (c *sentCounter) LogSentMessageStream(int64, protocol.ID, peer.ID) {}
func (c *sentCounter) LogRecvMessageStream(int64, protocol.ID, peer.ID) {}

// countedNode starts a node over a loopback TCP host whose stream bytes c
// counts (application bytes: stream negotiation included; Noise and
// yamux framing not).
func countedNode(t *testing.T, c *sentCounter, interval time.Duration) *Node {
	t.Helper()
	v := newVault(t)
	h, err := libp2p.New(libp2p.Identity(v.Key()), libp2p.ListenAddrs(loopback()...), libp2p.BandwidthReporter(c),
		libp2p.DisableRelay(), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true, SyncInterval: interval}
	n, err := New(context.Background(), cfg, v, WithHost(h))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// warmup is left out of the idle window after two peers settle.
const warmup = 3 * time.Second

// idleRate connects two peers with the given round interval, lets them
// settle in sync over one entry, and returns the bytes per second both
// send together over window, the sync rounds run in it and the entry's
// size.
func idleRate(t *testing.T, interval, window time.Duration) (rate float64, rounds, entry int) {
	ctx := ctxT(t, window+30*time.Second)
	ca, cb := &sentCounter{BandwidthCounter: metrics.NewBandwidthCounter()}, &sentCounter{BandwidthCounter: metrics.NewBandwidthCounter()}
	a, b := countedNode(t, ca, interval), countedNode(t, cb, interval)
	defer func() { _, _ = a.Close(), b.Close() }()
	evA, stopA := a.Subscribe(1024)
	defer stopA()
	evB, stopB := b.Subscribe(1024)
	defer stopB()
	connect(t, ctx, a, b)
	blk, err := a.Publish(ctx, attest(t, "one entry"))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, evB, "the entry on B", storedCID(blk.CID))
	waitFor(t, ctx, evA, "a first round", func(e Event) bool { _, ok := e.(SyncDone); return ok })
	// The first seconds carry the connection's own setup (identify
	// pushes, the gossip mesh's grafts and the rounds they kick): the
	// window opens after them. This waits out a transient; it orders no
	// test step.
	time.Sleep(warmup)
	total := func() uint64 { return uint64(ca.sent.Load() + cb.sent.Load()) }
	before, start := total(), time.Now()
	deadline := time.After(window)
	for {
		select {
		case e := <-evA:
			if d, ok := e.(SyncDone); ok && d.Err == nil {
				rounds++
			}
		case e := <-evB:
			if d, ok := e.(SyncDone); ok && d.Err == nil {
				rounds++
			}
		case <-deadline:
			return float64(total()-before) / time.Since(start).Seconds(), rounds, len(blk.Data)
		}
	}
}

// TestIdleCost measures what two connected peers in sync send each other
// at idle: without rounds (an hour apart: gossip heartbeats, pings) and
// with a round every second, from which the cost of one round follows.
// With the default 30 s round it must stay under 64 bytes per second per
// pair. The figures are logged for docs/PERFORMANCE.md, against the size
// of one entry.
func TestIdleCost(t *testing.T) {
	window := 5 * time.Second
	if os.Getenv("MYCEL_HOSTILE_LONG") == "1" {
		window = 60 * time.Second
	}
	var base, busy float64
	var rounds, entry int
	t.Run("pairs", func(t *testing.T) { // independent: measured at once
		t.Run("round every second", func(t *testing.T) {
			t.Parallel()
			busy, rounds, _ = idleRate(t, time.Second, window)
		})
		t.Run("no rounds", func(t *testing.T) {
			t.Parallel()
			base, _, entry = idleRate(t, time.Hour, window)
		})
	})
	if rounds == 0 {
		t.Fatal("no sync round in the window")
	}
	perRound := (busy - base) * window.Seconds() / float64(rounds)
	perInterval := float64(rounds) / window.Seconds() // each side starts one per interval
	at30 := base + perRound*perInterval/DefaultSyncInterval.Seconds()
	t.Logf("idle, no rounds: %.1f B/s per pair; one round between peers in sync: %.0f B both ways (%d rounds in %s, %.1f per interval); one entry: %d B; at the default %s round: %.1f B/s per pair",
		base, perRound, rounds, window, perInterval, entry, DefaultSyncInterval, at30)
	if at30 > 64 {
		t.Fatalf("idle cost %.1f B/s per pair at a %s round, want under 64", at30, DefaultSyncInterval)
	}
}
