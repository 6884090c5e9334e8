package metrics

import (
	"net/http"

	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config gives the values read at each scrape; a nil func leaves its
// gauge out.
type Config struct {
	// Peers counts connected peers by connection kind (direct, relayed, lan).
	Peers func() map[string]int
	// VaultBytes is the size of the vault file.
	VaultBytes func() int64
	// Dropped counts node events dropped for full subscriber channels.
	Dropped func() uint64
	// Gatherers are served beside Mycel's own metrics (libp2p's).
	Gatherers []prometheus.Gatherer
}

// Metrics holds the counters. Its methods are safe for concurrent use.
type Metrics struct {
	reg        *prometheus.Registry
	gather     prometheus.Gatherers
	stored     *prometheus.CounterVec
	rejected   *prometheus.CounterVec
	syncRounds *prometheus.CounterVec
	syncBytes  *prometheus.CounterVec
	syncBlocks *prometheus.CounterVec
	gossip     *prometheus.CounterVec
	payments   *prometheus.CounterVec
	paid       *prometheus.CounterVec
	forks      prometheus.Counter
	peerEvents *prometheus.CounterVec
}

// New returns metrics registered on a registry of their own.
func New(cfg Config) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.stored = m.counterVec("mycel_entries_stored_total", "Entries stored, by kind, source (local, gossip, sync, import) and result (new, pending, equivocation).", "kind", "source", "result")
	m.rejected = m.counterVec("mycel_entries_rejected_total", "Input turned down, by source, outcome (reject, ignore) and reason.", "source", "outcome", "reason")
	m.syncRounds = m.counterVec("mycel_sync_rounds_total", "Anti-entropy rounds ended, by result (ok, error).", "result")
	m.syncBytes = m.counterVec("mycel_sync_bytes_total", "Bytes moved by anti-entropy rounds, by direction (sent, received).", "direction")
	m.syncBlocks = m.counterVec("mycel_sync_entries_total", "Entries moved by anti-entropy rounds, by direction (sent, received).", "direction")
	m.gossip = m.counterVec("mycel_gossip_messages_total", "Gossip messages, by event (delivered, duplicate, ignored, rejected).", "event")
	m.payments = m.counterVec("mycel_payments_total", "Receipts this peer signed, by unit.", "unit")
	m.paid = m.counterVec("mycel_payments_amount_total", "Minor units this peer paid in its receipts, by unit.", "unit")
	m.forks = prometheus.NewCounter(prometheus.CounterOpts{Name: "mycel_forks_seen_total", Help: "Equivocations stored: a second entry at an author's held seq."})
	m.peerEvents = m.counterVec("mycel_peer_events_total", "Peer connections and disconnections, by event.", "event")
	m.reg.MustRegister(m.forks)
	m.gauges(cfg)
	// The resource manager's own metrics (libp2p_rcmgr_...): its default
	// trace reporter fills them in the process; they only need serving.
	rcmgr.MustRegisterWith(m.reg)
	m.gather = append(prometheus.Gatherers{m.reg}, cfg.Gatherers...)
	return m
}

func (m *Metrics) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

// gauges registers the values read at scrape time.
func (m *Metrics) gauges(cfg Config) {
	if cfg.Peers != nil {
		m.reg.MustRegister(peersCollector{
			desc:  prometheus.NewDesc("mycel_peers", "Connected peers, by connection kind (direct, relayed, lan).", []string{"connection"}, nil),
			count: cfg.Peers,
		})
	}
	if cfg.VaultBytes != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mycel_vault_bytes", Help: "Size of the vault file."},
			func() float64 { return float64(cfg.VaultBytes()) }))
	}
	if cfg.Dropped != nil {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "mycel_events_dropped_total", Help: "Node events dropped for full subscriber channels."},
			func() float64 { return float64(cfg.Dropped()) }))
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.gather, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Registry is where the metrics are registered, for a caller that adds
// its own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }
