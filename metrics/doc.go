// Package metrics counts what a Mycel node does, for Prometheus.
//
// A Metrics follows a node's events (node.Subscribe) and gossipsub's
// tracer, and serves its counters and gauges, all named mycel_..., in the
// Prometheus text format:
//
//	m := metrics.New(metrics.Config{Peers: peersByKind, VaultBytes: vaultSize})
//	stop := m.Follow(n.Subscribe(1024))
//	defer stop()
//	mux.Handle("GET /metrics", m.Handler()) // the daemon mounts it behind the API token
//
// libp2p's resource-manager metrics (libp2p_rcmgr_...) are served beside
// them. The node is not touched: every count comes from an event it already
// raises, or from a function read at scrape time.
package metrics
