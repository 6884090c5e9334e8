package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	ma "github.com/multiformats/go-multiaddr"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/replicate"
	"github.com/mesocosm/mycel/vault"
)

const district = "meso-valley/north"

func startNode(t *testing.T, path string, opts ...node.Option) *node.Node {
	t.Helper()
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	cfg := node.Config{Listen: []ma.Multiaddr{ma.StringCast("/ip4/127.0.0.1/tcp/0")}, Districts: []string{district}, NoPortMap: true}
	n, err := node.New(context.Background(), cfg, v, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func attest(t *testing.T, note string) protocol.Entry {
	t.Helper()
	body, err := protocol.EncodeBody(&protocol.Attest{
		Proof: protocol.LinkTo(protocol.Sum([]byte(note))), Verdict: protocol.Valid, Note: note,
	})
	if err != nil {
		t.Fatal(err)
	}
	return protocol.Entry{Kind: protocol.KindAttest, District: district, Time: 1, Body: body}
}

// scrape GETs the metrics and parses them with Prometheus's text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytesReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	return fams
}

// sum adds the values of fam's series whose labels include want.
func sum(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	var total float64
	for _, m := range fams[name].GetMetric() {
		if !hasLabels(m, want) {
			continue
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		}
	}
	return total
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}

// TestScrapeScenario: two nodes on loopback; the counters of the second
// move as it takes the first one's entries by sync and gossip.
func TestScrapeScenario(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()
	a := startNode(t, filepath.Join(dir, "a.db"))
	var m *Metrics
	tracer := &lateTracer{}
	b := startNode(t, filepath.Join(dir, "b.db"), node.WithPubSub(pubsub.WithRawTracer(tracer)))
	m = New(Config{Peers: NodePeers(b), VaultBytes: FileSize(filepath.Join(dir, "b.db")), Dropped: b.Dropped})
	tracer.set(m.GossipTracer())
	stop := m.Follow(b.Subscribe(256))
	defer stop()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()

	before := scrape(t, srv.URL)
	if got := sum(before, "mycel_entries_stored_total", nil); got != 0 {
		t.Fatalf("stored before the scenario: %v", got)
	}
	if sum(before, "mycel_vault_bytes", nil) <= 0 {
		t.Fatal("mycel_vault_bytes is not positive")
	}
	watch, unwatch := b.Subscribe(256)
	defer unwatch()

	for i := range 2 { // before they meet: these reach b by sync
		if _, err := a.Publish(ctx, attest(t, fmt.Sprint("early ", i))); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("publish (no gossip peer yet): %v", err)
		}
	}
	if err := b.Connect(ctx, a.AddrInfo()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SyncNow(ctx, a.ID()); err != nil && !errors.Is(err, node.ErrSyncBusy) && !errors.Is(err, replicate.ErrBusy) { // the connection's own round may be running
		t.Fatal(err)
	}
	if _, err := a.Publish(ctx, attest(t, "late")); err != nil {
		t.Logf("publish: %v", err)
	}
	waitStored(t, ctx, watch, 3)
	if _, err := b.SyncNow(ctx, a.ID()); err != nil && !errors.Is(err, node.ErrSyncBusy) && !errors.Is(err, replicate.ErrBusy) { // the connection's own round may be running
		t.Fatal(err)
	}
	waitSync(t, ctx, watch)
	stop() // drains the events already raised

	after := scrape(t, srv.URL)
	if got := sum(after, "mycel_entries_stored_total", map[string]string{"kind": "attest"}); got != 3 {
		t.Errorf("stored attest entries = %v, want 3", got)
	}
	if got := sum(after, "mycel_sync_rounds_total", nil); got < 1 {
		t.Errorf("sync rounds = %v, want at least 1", got)
	}
	if got := sum(after, "mycel_sync_bytes_total", map[string]string{"direction": "received"}); got <= 0 {
		t.Errorf("sync bytes received = %v, want > 0", got)
	}
	if got := sum(after, "mycel_peers", nil); got != 1 {
		t.Errorf("peers = %v, want 1", got)
	}
	if got := sum(after, "mycel_peer_events_total", map[string]string{"event": "connected"}); got < 1 {
		t.Errorf("peer connected events = %v", got)
	}
	if got := sum(after, "libp2p_rcmgr_connections", map[string]string{"scope": "system"}); got < 1 {
		t.Errorf("libp2p_rcmgr_connections{scope=system} = %v, want the nodes' connections", got)
	}
}

func waitStored(t *testing.T, ctx context.Context, ch <-chan node.Event, n int) {
	t.Helper()
	for seen := 0; seen < n; {
		select {
		case ev := <-ch:
			if _, ok := ev.(node.Stored); ok {
				seen++
			}
		case <-ctx.Done():
			t.Fatalf("stored %d of %d entries", seen, n)
		}
	}
}

func waitSync(t *testing.T, ctx context.Context, ch <-chan node.Event) {
	t.Helper()
	for {
		select {
		case ev := <-ch:
			if _, ok := ev.(node.SyncDone); ok {
				return
			}
		case <-ctx.Done():
			t.Fatal("no sync round ended")
		}
	}
}

func TestReason(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, "none"},
		{fmt.Errorf("x: %w", protocol.ErrBadSignature), "bad_signature"},
		{fmt.Errorf("claim: %w", mip.ErrClaim), "bad_claim"},
		{fmt.Errorf("%w: MIP-X@1", mip.ErrUnknownMIP), "unknown_mip"},
		{errors.New("something else"), "other"},
	} {
		if got := Reason(c.err); got != c.want {
			t.Errorf("Reason(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// TestRejectedLabels: a rejection is counted under its source, outcome
// and reason.
func TestRejectedLabels(t *testing.T) {
	m := New(Config{})
	m.Observe(node.Rejected{Source: node.Gossip, Verdict: protocol.Rejected(fmt.Errorf("sig: %w", protocol.ErrBadSignature))})
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	got := sum(scrape(t, srv.URL), "mycel_entries_rejected_total", map[string]string{"source": "gossip", "outcome": "reject", "reason": "bad_signature"})
	if got != 1 {
		t.Fatalf("rejected = %v, want 1", got)
	}
}
