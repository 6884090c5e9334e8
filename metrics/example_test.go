package metrics_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/mesocosm/mycel/metrics"
	"github.com/mesocosm/mycel/node"
)

// feed stands in for a node: its Subscribe gives the events sent on it.
type feed chan node.Event

func (f feed) Subscribe(int) (<-chan node.Event, func()) { return f, func() {} }

// Example follows a node's events and scrapes the counters in Prometheus
// text format.
func Example() {
	m := metrics.New(metrics.Config{VaultBytes: func() int64 { return 65536 }})
	n := make(feed, 1)
	stop := m.Follow(n.Subscribe(1024))
	n <- node.SyncDone{Stats: node.SyncStats{BytesSent: 1200, BytesReceived: 800}}
	close(n)
	stop() // waits until every event is counted

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for sc := bufio.NewScanner(rec.Body); sc.Scan(); {
		if line := sc.Text(); strings.HasPrefix(line, "mycel_sync_rounds_total") || strings.HasPrefix(line, "mycel_vault_bytes") {
			fmt.Println(line)
		}
	}
	// Output:
	// mycel_sync_rounds_total{result="ok"} 1
	// mycel_vault_bytes 65536
}
