package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/bundle"
)

// publishProof publishes one HLT proof into dir's vault and returns its CID.
func publishProof(t *testing.T, dir string) string {
	t.Helper()
	var pub api.Published
	out := must(t, "--home", dir, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", writeFile(t, "claim.json", claim), "--no-evidence", "--json")
	if err := json.Unmarshal([]byte(out), &pub); err != nil {
		t.Fatal(err)
	}
	return pub.CID
}

// TestBundleSneakernet: two homes that never meet; a want file goes one
// way, a bundle of what it lacks the other; a second carry finds nothing.
func TestBundleSneakernet(t *testing.T) {
	village, town := newHome(t), newHome(t)
	c := publishProof(t, village)
	stick := t.TempDir()
	want := filepath.Join(stick, "want.json")
	car := filepath.Join(stick, "village.car")

	must(t, "--home", town, "bundle", "want", "--out", want)
	out := must(t, "--home", village, "bundle", "export", car, "--since", want)
	if !strings.Contains(out, "wrote 1 entry by 1 author") {
		t.Fatalf("export: %q", out)
	}
	if left, _ := filepath.Glob(filepath.Join(stick, ".*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if got := must(t, "--home", town, "bundle", "import", car); got != "1 new, 0 known, 0 rejected\n" {
		t.Fatalf("import: %q", got)
	}
	must(t, "--home", town, "get", c, "--raw")
	var rep bundle.Report
	if err := json.Unmarshal([]byte(must(t, "--home", town, "bundle", "import", car, "--json")), &rep); err != nil || rep.Known != 1 || rep.New != 0 {
		t.Fatalf("second import: %+v %v", rep, err)
	}

	var w bundle.Want
	if err := json.Unmarshal([]byte(must(t, "--home", town, "bundle", "want")), &w); err != nil || len(w.Heads) != 1 {
		t.Fatalf("want: %+v %v", w, err)
	}
	must(t, "--home", town, "bundle", "want", "--out", want)
	again := filepath.Join(stick, "again.car")
	out = must(t, "--home", village, "bundle", "export", again, "--since", want)
	if !strings.Contains(out, "nothing to export") {
		t.Fatalf("export of nothing: %q", out)
	}
	if _, err := os.Stat(again); !os.IsNotExist(err) {
		t.Fatalf("export of nothing wrote %s: %v", again, err)
	}
	if left, _ := filepath.Glob(filepath.Join(stick, ".*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func TestBundleBadFiles(t *testing.T) {
	village, town := newHome(t), newHome(t)
	publishProof(t, village)
	publishProof(t, village)
	dir := t.TempDir()
	car := filepath.Join(dir, "v.car")
	must(t, "--home", village, "bundle", "export", car)
	data, _ := os.ReadFile(car)

	cut := filepath.Join(dir, "cut.car")
	os.WriteFile(cut, data[:len(data)-20], 0o600)
	r := runCLI(t, "--home", town, "bundle", "import", cut)
	if r.code != 1 || r.stdout != "1 new, 0 known, 0 rejected\n" || !strings.Contains(r.stderr, "damaged after block 1") {
		t.Fatalf("cut import: %+v", r)
	}
	fails(t, 1, "not a CAR bundle", "--home", town, "bundle", "import", writeFile(t, "x.car", "hello"))
	fails(t, 1, "bad want file", "--home", village, "bundle", "export", filepath.Join(dir, "no.car"),
		"--since", writeFile(t, "w.json", `{"version": 2, "heads": []}`))
	fails(t, 1, "author", "--home", village, "bundle", "export", filepath.Join(dir, "no.car"), "--author", "someone")
	if _, err := os.Stat(filepath.Join(dir, "no.car")); !os.IsNotExist(err) {
		t.Fatal("failed export wrote a file")
	}
	fails(t, 2, "exactly one FILE", "--home", town, "bundle", "import")
}

// startDaemon runs `mycel daemon` in-process and returns once it is ready.
func startDaemon(t *testing.T, dir string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		args := append([]string{"--home", dir, "daemon", "--api", "127.0.0.1:0"}, args...)
		done <- run(ctx, args, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("daemon exit %d", code)
		}
	})
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if lines.Text() == "ready" {
			go io.Copy(io.Discard, pr)
			return
		}
	}
	t.Fatal("daemon stopped before ready")
}

// TestDaemonOffline: `daemon --offline` has no network; bundles go in
// through its API, publishing stores only.
func TestDaemonOffline(t *testing.T) {
	village, outpost := newHome(t), newHome(t)
	publishProof(t, village)
	car := filepath.Join(t.TempDir(), "v.car")
	must(t, "--home", village, "bundle", "export", car)

	startDaemon(t, outpost, "--offline")
	var st api.Status
	if err := json.Unmarshal([]byte(must(t, "--home", outpost, "status", "--json")), &st); err != nil ||
		st.Self.Reachability != api.ReachOffline || len(st.Self.Addrs) != 0 || len(st.Peers) != 0 {
		t.Fatalf("status: %+v %v", st, err)
	}
	if got := must(t, "--home", outpost, "bundle", "import", car); got != "1 new, 0 known, 0 rejected\n" {
		t.Fatalf("import through the daemon: %q", got)
	}
	var pub api.Published
	json.Unmarshal([]byte(must(t, "--home", outpost, "proof", "publish", "--mip", "MIP-HLT@1",
		"--claim", writeFile(t, "claim.json", claim), "--no-evidence", "--json")), &pub)
	if pub.Sent || pub.Seq != 1 {
		t.Fatalf("publish offline: %+v", pub)
	}
	fails(t, 1, "--offline", "--home", outpost, "connect", "/ip4/127.0.0.1/tcp/1/p2p/"+st.Self.PeerID)
	back := filepath.Join(t.TempDir(), "back.car")
	out := must(t, "--home", outpost, "bundle", "export", back, "--author", st.Self.PeerID)
	if !strings.Contains(out, "wrote 1 entry by 1 author") {
		t.Fatalf("export through the daemon: %q", out)
	}
	if got := must(t, "--home", village, "bundle", "import", back); got != "1 new, 0 known, 0 rejected\n" {
		t.Fatalf("import back: %q", got)
	}
}

func TestMeterPlainLines(t *testing.T) {
	var errb strings.Builder
	a := &app{stderr: &errb}
	m := a.meter("importing", plainMin)
	w := m.writer(io.Discard)
	for range 8 {
		w.Write(make([]byte, plainMin/8))
	}
	m.finish()
	if got := strings.Count(errb.String(), "\n"); got != 3 || !strings.Contains(errb.String(), "importing: 75%") {
		t.Fatalf("plain lines: %q", errb.String())
	}
	errb.Reset()
	a.json = true
	a.meter("importing", plainMin).writer(io.Discard).Write(make([]byte, plainMin))
	if errb.Len() != 0 {
		t.Fatalf("--json mode printed %q", errb.String())
	}
}
