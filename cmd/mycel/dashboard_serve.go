package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/dashboard"
	"github.com/mesocosm/mycel/metrics"
	"github.com/mesocosm/mycel/node"
)

// newMetrics returns the daemon's metrics; they read the node *n points
// to once it is set (the node takes their gossip tracer when it starts).
func newMetrics(n **node.Node, vaultPath string) *metrics.Metrics {
	return metrics.New(metrics.Config{
		Peers: func() map[string]int {
			if *n == nil {
				return nil
			}
			return metrics.NodePeers(*n)()
		},
		Dropped: func() uint64 {
			if *n == nil {
				return 0
			}
			return (*n).Dropped()
		},
		VaultBytes: metrics.FileSize(vaultPath),
	})
}

// gossipMetrics is the node option that counts gossip deliveries and
// duplicates into m.
func gossipMetrics(m *metrics.Metrics) node.Option {
	return node.WithPubSub(pubsub.WithRawTracer(m.GossipTracer()))
}

// mountExtras adds /metrics (behind the API token) and the dashboard to
// srv. The dashboard reads and writes through a client of the API at
// apiAddr, so that its forms go through the same routes as the CLI.
func mountExtras(srv *api.Server, m *metrics.Metrics, n *node.Node, apiAddr, token string, districts []string) *dashboard.Dashboard {
	srv.Mount("GET /metrics", m.Handler())
	d := dashboard.New(api.NewClient(apiAddr, token), dashboard.Options{Districts: districts, Notify: storedSignal(n)})
	srv.MountPages(dashboard.Prefix, d.Pages())
	srv.Mount("POST "+dashboard.LoginRoute, d.Login())
	return d
}

// storedSignal raises a signal whenever n stores an entry.
func storedSignal(n *node.Node) func(int) (<-chan struct{}, func()) {
	return func(buffer int) (<-chan struct{}, func()) {
		events, cancel := n.Subscribe(64)
		out := make(chan struct{}, max(buffer, 1))
		go func() { // ends when cancel closes events
			defer close(out)
			for ev := range events {
				if _, ok := ev.(node.Stored); ok {
					select {
					case out <- struct{}{}:
					default: // a signal is already waiting
					}
				}
			}
		}()
		return out, cancel
	}
}

// serveMetrics serves m's /metrics without the token on its own loopback
// address addr, for a Prometheus on this machine; requests must name a
// loopback host (no DNS rebinding). It returns the address it listens
// on; stop shuts it down.
func serveMetrics(addr string, m *metrics.Metrics) (bound string, stop func(), err error) {
	ln, err := api.Listen(addr)
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: loopbackHost(mux), ReadHeaderTimeout: 5 * time.Second, WriteTimeout: time.Minute, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}, nil
}

// loopbackHost refuses a request whose Host is not a loopback name.
func loopbackHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		ip := net.ParseIP(strings.Trim(host, "[]"))
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			http.Error(w, "host is not loopback", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
