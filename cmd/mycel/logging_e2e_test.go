package main

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/mip/miptest"
	"github.com/mesocosm/mycel/protocol"
)

// jsonLog collects the JSON log lines a daemon writes to stderr.
type jsonLog struct {
	mu      sync.Mutex
	lines   []map[string]any
	bad     []string // lines that are not JSON objects
	changed chan struct{}
	done    chan struct{}
}

func (l *jsonLog) read(sc *bufio.Scanner) {
	defer close(l.done)
	for sc.Scan() {
		var m map[string]any
		l.mu.Lock()
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			l.bad = append(l.bad, sc.Text())
		} else {
			l.lines = append(l.lines, m)
		}
		l.mu.Unlock()
		select {
		case l.changed <- struct{}{}:
		default:
		}
	}
}

// find returns the first line with msg whose fields hold want.
func (l *jsonLog) find(msg string, want map[string]any) (map[string]any, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.lines {
		if m["msg"] != msg {
			continue
		}
		ok := true
		for k, v := range want {
			ok = ok && fmt.Sprint(m[k]) == fmt.Sprint(v)
		}
		if ok {
			return m, true
		}
	}
	return nil, false
}

// wait waits for a line as find matches it; the daemon is another process,
// so each new line wakes the check, with a deadline.
func (l *jsonLog) wait(t *testing.T, who, msg string, want map[string]any) map[string]any {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		if m, ok := l.find(msg, want); ok {
			return m
		}
		select {
		case <-l.changed:
		case <-l.done:
			if m, ok := l.find(msg, want); ok {
				return m
			}
			t.Fatalf("%s: log ended without %q %v:\n%s", who, msg, want, l.dump())
		case <-deadline:
			t.Fatalf("%s: no %q line with %v in:\n%s", who, msg, want, l.dump())
		}
	}
}

func (l *jsonLog) dump() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, m := range l.lines {
		j, _ := json.Marshal(m)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// startLogged runs a daemon like start, with --log-format json and its
// stderr read as a JSON log.
func (e *e2e) startLogged(home string, extra ...string) (*daemon, *jsonLog) {
	e.t.Helper()
	args := append([]string{"--home", home, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0", "--no-mdns", "--no-port-map",
		"--sync-interval", "2s", "--log-format", "json"}, extra...)
	cmd := exec.Command(e.bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	log := &jsonLog{changed: make(chan struct{}, 1), done: make(chan struct{})}
	go log.read(bufio.NewScanner(stderr))
	d := &daemon{cmd: cmd, home: home, out: bufio.NewScanner(stdout), drained: make(chan struct{})}
	e.t.Cleanup(func() { d.stop(e.t) })
	for d.out.Scan() {
		if d.out.Text() == "ready" {
			go func() {
				defer close(d.drained)
				for d.out.Scan() {
				}
			}()
			return d, log
		}
	}
	cmd.Wait()
	e.t.Fatalf("daemon on %s exited before ready:\n%s", home, log.dump())
	return nil, nil
}

// schemaInvalid writes a bundle holding one signed proof whose claim
// lacks the MIP's required fields.
func schemaInvalid(t *testing.T, dir string) string {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	body, err := protocol.EncodeBody(&protocol.Proof{
		MIP: "MIP-HLT@1", Claim: map[string]any{"cohort_size": 240, "measure": "hba1c"},
		Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1},
		Period:   protocol.Period{Start: 0, End: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := protocol.Sign(k, protocol.Entry{Seq: 1, Kind: protocol.KindProof, District: "meso-valley/north", Time: time.Now().UnixMilli(), Body: body})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "invalid.car")
	if err := os.WriteFile(path, miptest.Bundle(t, bad), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDaemonJSONLog: two daemons logging JSON. The clinic publishes a
// proof, then the funder connects: both log the connection (how and how
// met), the funder logs the sync round that brought the proof with entries
// and bytes, the funder's payment is logged on both sides, and a bundle
// with a proof that breaks its MIP's schema is logged as rejected with its reason. Every stderr
// line is JSON, and no library line appears at the default level.
func TestDaemonJSONLog(t *testing.T) {
	e := newE2E(t)
	clinic, funder := e.home("clinic"), e.home("funder")
	for _, h := range []string{clinic, funder} {
		e.mycel(h, "init", "--district", "meso-valley/north")
	}
	_, clog := e.startLogged(clinic)
	_, flog := e.startLogged(funder)
	clinicID, funderID := e.peerID(clinic), e.peerID(funder)

	claimFile := filepath.Join(e.dir, "claim.json")
	if err := os.WriteFile(claimFile, []byte(claim), 0o600); err != nil {
		t.Fatal(err)
	}
	e.publish(clinic, claimFile)
	e.mycel(funder, "connect", e.addr(clinic))

	flog.wait(t, "funder", "peer connected", map[string]any{"peer": clinicID, "conn": "lan", "met": "connect"})
	clog.wait(t, "clinic", "peer connected", map[string]any{"peer": funderID, "conn": "lan"})
	sync := flog.wait(t, "funder", "sync", map[string]any{"peer": clinicID, "new": 1})
	if sync["level"] != "INFO" || sync["bytes_in"].(float64) <= 0 {
		t.Fatalf("sync line %v", sync)
	}

	e.mycel(funder, "district", "create", "meso-valley/north", "--steward", funderID, "--limit", "credit=1000")
	e.mycel(funder, "pay", clinicID, "25", "credit")
	flog.wait(t, "funder", "payment", map[string]any{"from": funderID, "to": clinicID, "amount": 25, "unit": "credit", "own": true})
	clog.wait(t, "clinic", "payment", map[string]any{"from": funderID, "to": clinicID, "amount": 25, "own": false})

	var st api.Status
	e.decode(&st, clinic, "status", "--json")
	if len(st.Peers) != 1 || st.Peers[0].PeerID != funderID || st.Peers[0].LastEntry.IsZero() || st.Peers[0].LastSync == nil {
		t.Fatalf("clinic status peers %+v: want the funder with its last entry and sync", st.Peers)
	}
	if p := st.Peers[0]; time.Since(p.LastEntry) > time.Minute {
		t.Fatalf("funder's last entry %v is stale", p.LastEntry)
	}

	e.try(clinic, "bundle", "import", schemaInvalid(t, e.dir))
	rej := clog.wait(t, "clinic", "entry rejected", map[string]any{"source": "import", "outcome": "reject"})
	if !strings.Contains(fmt.Sprint(rej["reason"]), "claim") {
		t.Fatalf("rejection line %v, want the reason", rej)
	}

	for who, l := range map[string]*jsonLog{"clinic": clog, "funder": flog} {
		l.mu.Lock()
		for _, m := range l.lines {
			if _, ok := m["logger"]; ok {
				t.Errorf("%s: library line at the default level: %v", who, m)
			}
		}
		if len(l.bad) > 0 {
			t.Errorf("%s: lines that are not JSON: %q", who, l.bad)
		}
		l.mu.Unlock()
	}
}
