package main

import (
	"net/http"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/mesocosm/mycel/metrics"
)

// TestServeMetrics: --metrics serves the metrics without the token on a
// loopback address, to requests that name a loopback host.
func TestServeMetrics(t *testing.T) {
	if _, _, err := serveMetrics("0.0.0.0:0", metrics.New(metrics.Config{})); err == nil {
		t.Fatal("served metrics on a non-loopback address")
	}
	addr, stop, err := serveMetrics("127.0.0.1:0", metrics.New(metrics.Config{VaultBytes: func() int64 { return 42 }}))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v := fams["mycel_vault_bytes"].GetMetric()[0].GetGauge().GetValue(); v != 42 {
		t.Fatalf("mycel_vault_bytes = %v", v)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/metrics", nil)
	req.Host = "rebound.example:80"
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Host: %d, want 403", resp2.StatusCode)
	}
}
