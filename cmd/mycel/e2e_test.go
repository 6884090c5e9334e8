package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
)

// e2e drives the built binary: real processes, real homes, loopback only.
type e2e struct {
	t   *testing.T
	bin string
	dir string
}

func newE2E(t *testing.T) *e2e {
	if testing.Short() {
		t.Skip("end-to-end test builds the binary and runs three daemons; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "mycel")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return &e2e{t: t, bin: bin, dir: dir}
}

func (e *e2e) home(name string) string { return filepath.Join(e.dir, name) }

// mycel runs one command against a home and returns its stdout.
func (e *e2e) mycel(home string, args ...string) string {
	e.t.Helper()
	cmd := exec.Command(e.bin, append([]string{"--home", home}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		e.t.Fatalf("mycel %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// daemon is a running `mycel daemon`.
type daemon struct {
	cmd     *exec.Cmd
	home    string
	out     *bufio.Scanner
	drained chan struct{} // closed when stdout reached EOF
}

// start runs a daemon on loopback and returns once it printed "ready".
func (e *e2e) start(home string, extra ...string) *daemon {
	e.t.Helper()
	args := append([]string{"--home", home, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0", "--no-mdns", "--no-port-map",
		// Gossip carries entries at once when its mesh has formed; an entry
		// published before then reaches far peers by the next sync round.
		"--sync-interval", "2s"}, extra...)
	cmd := exec.Command(e.bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	d := &daemon{cmd: cmd, home: home, out: bufio.NewScanner(stdout), drained: make(chan struct{})}
	e.t.Cleanup(func() { d.stop(e.t) })
	for d.out.Scan() {
		if d.out.Text() == "ready" {
			go func() { // keep the pipe drained until the daemon exits
				defer close(d.drained)
				for d.out.Scan() {
				}
			}()
			return d
		}
	}
	cmd.Wait()
	e.t.Fatalf("daemon on %s exited before ready: %s", home, errb.String())
	return nil
}

// stop sends SIGTERM and waits; the daemon must remove its api file.
func (d *daemon) stop(t *testing.T) {
	if d.cmd.ProcessState != nil {
		return
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	<-d.drained // Wait closes the pipe: read it to the end first
	if err := d.cmd.Wait(); err != nil {
		t.Errorf("daemon %s: %v", d.home, err)
	}
	if _, err := os.Stat(filepath.Join(d.home, "api")); !os.IsNotExist(err) {
		t.Errorf("daemon %s left its api file", d.home)
	}
}

func (e *e2e) addr(home string) string {
	var id api.Identity
	if err := json.Unmarshal([]byte(e.mycel(home, "id", "--json")), &id); err != nil || len(id.Addrs) == 0 {
		e.t.Fatalf("id %s: %v %+v", home, err, id)
	}
	return id.Addrs[0]
}

func (e *e2e) proofs(home string) []string {
	var ps []api.Proof
	if err := json.Unmarshal([]byte(e.mycel(home, "proofs", "--json")), &ps); err != nil {
		e.t.Fatal(err)
	}
	var cids []string
	for _, p := range ps {
		cids = append(cids, p.CID)
	}
	return cids
}

// waitProofs polls another process's view until it holds every cid. This
// observes a separate process, so polling with a deadline is the means.
func (e *e2e) waitProofs(home string, cids ...string) {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		held := e.proofs(home)
		if !slices.ContainsFunc(cids, func(c string) bool { return !slices.Contains(held, c) }) {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s holds %v, want %v", home, held, cids)
		}
		<-tick.C
	}
}

func (e *e2e) publish(home, claimFile string) string {
	return strings.TrimSpace(e.mycel(home, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", claimFile, "--no-evidence"))
}

func TestEndToEndLine(t *testing.T) {
	e := newE2E(t)
	a, b, c := e.home("clinic"), e.home("relay"), e.home("late")
	for _, h := range []string{a, b, c} {
		e.mycel(h, "init", "--district", "meso-valley/north")
	}
	e.start(a)
	e.start(b)
	dc := e.start(c)
	e.mycel(b, "connect", e.addr(a))
	e.mycel(c, "connect", e.addr(b))

	claimFile := filepath.Join(e.dir, "claim.json")
	os.WriteFile(claimFile, []byte(claim), 0o600)
	ev := filepath.Join(e.dir, "labs.csv")
	os.WriteFile(ev, []byte("patient,hba1c\n1,64\n"), 0o600)
	evID := strings.TrimSpace(e.mycel(a, "evidence", "add", ev))
	first := strings.TrimSpace(e.mycel(a, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", claimFile, "--evidence", evID))
	e.waitProofs(c, first)

	// Stop the late joiner; the first proof stays readable without a daemon.
	dc.stop(t)
	if held := e.proofs(c); !slices.Contains(held, first) {
		t.Fatalf("stopped peer lost %s: %v", first, held)
	}
	second, third := e.publish(a, claimFile), e.publish(a, claimFile)
	e.waitProofs(b, second, third)

	// Restart it, pointed at the middle peer: it catches up by sync.
	e.start(c, "--bootstrap", e.addr(b))
	e.waitProofs(c, first, second, third)
}
