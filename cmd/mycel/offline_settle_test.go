package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
)

// runDaemon runs `mycel daemon` in-process until the returned stop is
// called (or the test ends), and returns once it is ready.
func runDaemon(t *testing.T, dir string, args ...string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		args := append([]string{"--home", dir, "daemon", "--api", "127.0.0.1:0"}, args...)
		done <- run(ctx, args, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("daemon exit %d", code)
		}
	}
	t.Cleanup(stop)
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if lines.Text() == "ready" {
			go io.Copy(io.Discard, pr)
			return stop
		}
	}
	t.Fatal("daemon stopped before ready")
	return stop
}

// receiptsOf lists the receipts a home holds from payer for proof.
func receiptsOf(t *testing.T, home, payer, proof string) []api.Receipt {
	t.Helper()
	var rs, out []api.Receipt
	if err := json.Unmarshal([]byte(must(t, "--home", home, "receipts", "--json")), &rs); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Payer == payer && slices.Contains(r.For, proof) {
			out = append(out, r)
		}
	}
	return out
}

// waitReceipts polls the daemon's API, behind HTTP, until home holds n
// receipts from payer for proof, for at most 15 s.
func waitReceipts(t *testing.T, home, payer, proof string, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		got := receiptsOf(t, home, payer, proof)
		if len(got) == n {
			return
		}
		if len(got) > n || time.Now().After(deadline) {
			t.Fatalf("%d receipts from %s for %s, want %d", len(got), payer, proof, n)
		}
		<-tick.C
	}
}

// TestDaemonOfflineSettles: an offline funder daemon whose pledged proof
// becomes verified by a bundle import (the proof and two attestations)
// pays the receipt once, and no second time across a restart and the
// same import again.
func TestDaemonOfflineSettles(t *testing.T) {
	funder, clinic, v1, v2 := newHome(t), newHome(t), newHome(t), newHome(t)
	fid := homePeer(t, funder)
	stick := t.TempDir()
	proof := publishProof(t, clinic)
	car := filepath.Join(stick, "clinic.car")
	must(t, "--home", clinic, "bundle", "export", car)
	for _, v := range []string{v1, v2} {
		must(t, "--home", v, "bundle", "import", car)
		// The verifiers attest before the district entry that names them
		// reaches them: --anyway.
		fails(t, exitError, "no genesis held here", "--home", v, "attest", proof, "--verdict", "valid")
		must(t, "--home", v, "attest", proof, "--verdict", "valid", "--anyway")
		out := filepath.Join(stick, filepath.Base(filepath.Dir(v))+".car")
		must(t, "--home", v, "bundle", "export", out, "--author", homePeer(t, v))
		must(t, "--home", clinic, "bundle", "import", out)
	}
	must(t, "--home", clinic, "bundle", "export", car) // proof and attestations
	must(t, "--home", funder, "district", "create", "meso-valley/north", "--steward", fid,
		"--verifier", homePeer(t, v1), "--verifier", homePeer(t, v2), "--limit", "credit=100")
	must(t, "--home", funder, "pledge", "--mip", "MIP-HLT@1", "--amount", "5", "--unit", "credit", "--cap", "50", "--where", "cohort_size>=100")

	stop := runDaemon(t, funder, "--offline")
	if got := must(t, "--home", funder, "bundle", "import", car); got != "3 new, 0 known, 0 rejected\n" {
		t.Fatalf("import: %q", got)
	}
	waitReceipts(t, funder, fid, proof, 1)
	stop()

	runDaemon(t, funder, "--offline")
	if got := must(t, "--home", funder, "bundle", "import", car); got != "0 new, 3 known, 0 rejected\n" {
		t.Fatalf("import after restart: %q", got)
	}
	// A second payment would come from the round the restart runs at
	// once; absence is watched over a short window.
	end := time.Now().Add(time.Second)
	for time.Now().Before(end) {
		if rs := receiptsOf(t, funder, fid, proof); len(rs) != 1 {
			t.Fatalf("%d receipts after restart", len(rs))
		}
	}
}
