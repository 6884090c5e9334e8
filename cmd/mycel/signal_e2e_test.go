package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/mip/miptest"
	"github.com/mesocosm/mycel/protocol"
)

// stopWithin is how soon the first Ctrl-C or SIGTERM must end a command.
const stopWithin = time.Second

// longBundle writes a bundle of n MIP-HLT@1 proofs, one author's chain,
// to a file: large enough that importing it takes seconds.
func longBundle(t *testing.T, n int) string {
	t.Helper()
	key, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	hlt, _ := mip.Builtins().Lookup("MIP-HLT@1")
	body, err := protocol.EncodeBody(&protocol.Proof{
		MIP: "MIP-HLT@1", Claim: hlt.Examples[0],
		Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1},
		Period:   protocol.Period{Start: 1, End: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	blocks := make([]protocol.Block, n)
	prev := cid.Undef
	now := time.Now().UnixMilli()
	for i := range blocks {
		e := protocol.Entry{Seq: uint64(i + 1), Prev: prev, Kind: protocol.KindProof, District: "meso-valley/north", Time: now, Body: body}
		if blocks[i], err = protocol.Sign(key, e); err != nil {
			t.Fatal(err)
		}
		prev = blocks[i].CID
	}
	p := filepath.Join(t.TempDir(), "long.car")
	if err := os.WriteFile(p, miptest.Bundle(t, blocks...), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// heldSeq is the head seq of the one author a home holds besides itself
// (0 if none), read through `bundle want`.
func (e *e2e) heldSeq(home, self string) uint64 {
	var w bundle.Want
	if err := json.Unmarshal([]byte(e.mycel(home, "bundle", "want")), &w); err != nil {
		e.t.Fatal(err)
	}
	for _, h := range w.Heads {
		if h.Author != self {
			return h.Seq
		}
	}
	return 0
}

// watched is a process's stderr that tells when a line with a prefix
// has been written.
type watched struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	prefix string
	seen   chan struct{}
}

func newWatched(prefix string) *watched { return &watched{prefix: prefix, seen: make(chan struct{})} }

func (w *watched) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.prefix)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.prefix) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *watched) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// proc is a running mycel command.
type proc struct {
	cmd    *exec.Cmd
	stderr *watched
	exited chan struct{} // closed once Wait returned
}

// startWatched runs a mycel command and returns once its stderr has
// shown a line starting with prefix.
func (e *e2e) startWatched(prefix string, args ...string) *proc {
	e.t.Helper()
	p := &proc{cmd: exec.Command(e.bin, args...), stderr: newWatched(prefix), exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = io.Discard, p.stderr
	if err := p.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	e.t.Cleanup(func() { p.cmd.Process.Kill(); <-p.exited })
	select {
	case <-p.stderr.seen:
	case <-p.exited:
		e.t.Fatalf("mycel %s ended before saying %q: %s", strings.Join(args, " "), prefix, p.stderr)
	}
	return p
}

// startImport runs `bundle import` and returns once it has reported its
// first quarter, so that a signal lands mid-import.
func (e *e2e) startImport(home, file string) *proc {
	return e.startWatched("importing: 25%", "--home", home, "bundle", "import", file)
}

// signalled sends sig and returns how long the process took to exit and
// its exit code; it fails the test past 10 s.
func (p *proc) signalled(t *testing.T, sig syscall.Signal) (time.Duration, int) {
	t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after %v: %s", sig, p.stderr)
	}
	return time.Since(start), p.cmd.ProcessState.ExitCode()
}

// importEntries is the length of the bundle the signal tests import:
// seconds of work on a small machine.
const importEntries = 20000

// TestImportStopsOnSignal: Ctrl-C during `bundle import` without a
// daemon stops it within a second, says how many entries went in, and
// keeps them; importing again brings the rest.
func TestImportStopsOnSignal(t *testing.T) {
	e := newE2E(t)
	h := e.home("h")
	e.mycel("", "init", "--home", h, "--district", "meso-valley/north")
	self := e.selfID(h)
	file := longBundle(t, importEntries)
	p := e.startImport(h, file)
	took, code := p.signalled(t, syscall.SIGINT)
	t.Logf("stopped %v after SIGINT: %s", took, p.stderr)
	if took > stopWithin || code != exitInterrupted {
		t.Fatalf("import took %v to stop, exit %d; want within %v, exit %d", took, code, stopWithin, exitInterrupted)
	}
	held := e.heldSeq(h, self)
	want := fmt.Sprintf("mycel: interrupted: %s new entries imported; run it again for the rest", thousands(int64(held)))
	if !strings.Contains(p.stderr.String(), want) || held == 0 || held >= importEntries {
		t.Fatalf("holds %d of %d; stderr %q, want %q", held, importEntries, p.stderr, want)
	}
	e.mycel(h, "bundle", "import", file)
	if got := e.heldSeq(h, self); got != importEntries {
		t.Fatalf("after the second import holds %d, want %d", got, importEntries)
	}
}

func (e *e2e) selfID(home string) string {
	var id api.Identity
	if err := json.Unmarshal([]byte(e.mycel(home, "id", "--json")), &id); err != nil {
		e.t.Fatal(err)
	}
	return id.PeerID
}

// TestImportThroughDaemonStopsOnSignal: Ctrl-C during `bundle import`
// through a daemon stops the command within a second, and the daemon's
// import with it: what the daemon holds stops growing at once.
func TestImportThroughDaemonStopsOnSignal(t *testing.T) {
	e := newE2E(t)
	h := e.home("h")
	e.mycel("", "init", "--home", h, "--district", "meso-valley/north")
	e.start(h)
	self := e.selfID(h)
	file := longBundle(t, importEntries)
	p := e.startImport(h, file)
	took, code := p.signalled(t, syscall.SIGINT)
	t.Logf("stopped %v after SIGINT: %s", took, p.stderr)
	// The daemon is another process: poll what it holds until it stays
	// the same. Once the command is gone the daemon may finish the chunk
	// it was storing, no more: without the cancel it went on for
	// thousands of entries, all the bytes the kernel still held.
	first := e.heldSeq(h, self)
	last := first
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		now := e.heldSeq(h, self)
		if now == last {
			break
		}
		last = now
	}
	t.Logf("daemon held %d of %d when the command was gone, %d once settled", first, importEntries, last)
	if last-first > bundle.BatchSize || last >= importEntries {
		t.Fatalf("daemon went on importing: %d entries when the command was gone, %d later", first, last)
	}
	if took > stopWithin || code != exitInterrupted || !strings.Contains(p.stderr.String(), "run it again for the rest") {
		t.Fatalf("import took %v to stop, exit %d, stderr %q; want within %v, exit %d, what was done", took, code, p.stderr, stopWithin, exitInterrupted)
	}
}

// TestEvidenceFIFOStopsOnSignal: `evidence add` on a FIFO whose writer
// sends nothing stops within a second of SIGTERM and says nothing was
// added.
func TestEvidenceFIFOStopsOnSignal(t *testing.T) {
	e := newE2E(t)
	h := e.home("h")
	e.mycel("", "init", "--home", h, "--district", "meso-valley/north")
	fifo := filepath.Join(t.TempDir(), "scan.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: exec.Command(e.bin, "--home", h, "evidence", "add", fifo), stderr: newWatched("mycel:"), exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = io.Discard, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.exited })
	// Opening the write end returns once the command has opened the read
	// end: from then on it waits for bytes that never come.
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	took, code := p.signalled(t, syscall.SIGTERM)
	t.Logf("stopped %v after SIGTERM: %s", took, p.stderr)
	if took > stopWithin || code != exitInterrupted || !strings.Contains(p.stderr.String(), "interrupted: nothing was read") {
		t.Fatalf("took %v to stop, exit %d, stderr %q; want within %v, exit %d, what was done", took, code, p.stderr, stopWithin, exitInterrupted)
	}
	if out := e.mycel(h, "evidence", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("evidence after the interrupted add: %s", out)
	}
}

// TestDemoCleansUpOnClosedPipe: `mycel demo | head -2` stops the demo
// when the pipe closes and leaves no vaults behind.
func TestDemoCleansUpOnClosedPipe(t *testing.T) {
	e := newE2E(t)
	tmp := t.TempDir()
	cmd := exec.Command(e.bin, "demo")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	head := bufio.NewReader(out)
	for range 2 {
		if _, err := head.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
	}
	out.Close() // what head does after two lines
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("demo still running 30 s after its stdout closed")
	}
	if ws := cmd.ProcessState.Sys().(syscall.WaitStatus); ws.Signaled() {
		t.Fatalf("demo killed by %v: it had no chance to clean up", ws.Signal())
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "mycel-demo-*"))
	if len(left) > 0 {
		t.Fatalf("demo left %v behind; stderr %q", left, errb.String())
	}
}

// TestDemoStopsOnSignal: Ctrl-C during the demo stops it within a
// second, says so, and leaves no vaults behind.
func TestDemoStopsOnSignal(t *testing.T) {
	e := newE2E(t)
	tmp := t.TempDir()
	out := newWatched("[")
	p := &proc{cmd: exec.Command(e.bin, "demo"), stderr: newWatched("mycel:"), exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	p.cmd.Stdout, p.cmd.Stderr = out, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.exited })
	select {
	case <-out.seen: // the first narrated step: the peers are up
	case <-p.exited:
		t.Fatalf("demo ended before narrating: %s", p.stderr)
	}
	took, code := p.signalled(t, syscall.SIGINT)
	t.Logf("stopped %v after SIGINT: %s", took, p.stderr)
	if took > stopWithin || code != exitInterrupted || !strings.Contains(p.stderr.String(), "interrupted: the demo stopped its peers and removed its vaults") {
		t.Fatalf("took %v, exit %d, stderr %q", took, code, p.stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "mycel-demo-*")); len(left) > 0 {
		t.Fatalf("demo left %v behind", left)
	}
}
