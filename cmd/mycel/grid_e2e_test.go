package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
)

// buildJobModule builds grid/wasm's test module for GOOS=wasip1.
func buildJobModule(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "job.wasm")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-trimpath", "-ldflags=-s -w", "-o", out, "../../grid/wasm/testdata/job")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the job module: %v\n%s", err, msg)
	}
	return out
}

// TestGridEndToEnd: three provider daemons offer compute; a requester
// connected to them runs a WebAssembly job on all three through
// `mycel grid run`: the job is verified, its output printed, and each
// provider paid once; a job that reads clocks and random bytes gives the
// same output on every provider, so it is verified too.
func TestGridEndToEnd(t *testing.T) {
	e := newE2E(t)
	module := buildJobModule(t, e.dir)
	req := e.home("requester")
	providers := []string{e.home("p1"), e.home("p2"), e.home("p3")}
	for _, h := range append([]string{req}, providers...) {
		e.mycel(h, "init", "--district", "meso-valley/north")
		e.start(h)
	}
	for _, p := range providers {
		e.mycel(req, "connect", e.addr(p))
		e.mycel(p, "grid", "offer", "--memory", "128MiB", "--max-seconds", "60", "--price", "5", "--unit", "credit")
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var offers []api.GridOfferRow
		if err := json.Unmarshal([]byte(e.mycel(req, "grid", "offers", "--json")), &offers); err != nil {
			t.Fatal(err)
		}
		if len(offers) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the requester holds %d offers, want 3", len(offers))
		}
		time.Sleep(200 * time.Millisecond) // another process's view: polled
	}
	input := filepath.Join(e.dir, "in.txt")
	os.WriteFile(input, []byte("hello grid\n"), 0o600)

	var res api.GridRunResult
	out := e.mycel(req, "grid", "run", module, "--input", input, "--arg", "upper", "--replicas", "3",
		"--max-price", "10", "--unit", "credit", "--timeout", "60s", "--json")
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("grid run --json: %v: %s", err, out)
	}
	agree := 0
	for _, r := range res.Results {
		if r.Agrees {
			agree++
		}
	}
	if res.Status != "verified" || agree != 3 || res.OutputCID == "" {
		t.Fatalf("grid run: %+v", res)
	}
	if len(res.Paid) != 3 {
		t.Errorf("paid %d providers, want 3: %+v", len(res.Paid), res.Paid)
	}
	for _, p := range res.Paid {
		if p.Amount != 5 || p.Unit != "credit" {
			t.Errorf("paid %+v, want 5 credit", p)
		}
	}
	if got := e.mycel(req, "grid", "run", module, "--input", input, "--arg", "upper", "--replicas", "2",
		"--max-price", "10", "--timeout", "60s"); got != "HELLO GRID\n" {
		t.Errorf("grid run printed %q, want the module's output", got)
	}
	var clock api.GridRunResult
	out = e.mycel(req, "grid", "run", module, "--arg", "clock", "--replicas", "3", "--max-price", "10", "--timeout", "60s", "--json")
	if err := json.Unmarshal([]byte(out), &clock); err != nil || clock.Status != "verified" {
		t.Fatalf("a job reading clocks and random bytes: %v %s", err, out)
	}
	var jobs []api.GridRunResult
	if err := json.Unmarshal([]byte(e.mycel(providers[0], "grid", "jobs", "--json")), &jobs); err != nil || len(jobs) < 2 {
		t.Fatalf("a provider's grid jobs: %v %+v", err, jobs)
	}
	show := e.mycel(req, "grid", "show", res.Job)
	if !strings.Contains(show, "verified") || !strings.Contains(show, "paid ") {
		t.Errorf("grid show: %s", show)
	}
}
