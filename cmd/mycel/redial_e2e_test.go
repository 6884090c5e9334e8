package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/api"
)

// status reads `mycel status --json` of a running daemon.
func (e *e2e) status(home string) api.Status {
	e.t.Helper()
	var st api.Status
	if err := json.Unmarshal([]byte(e.mycel(home, "status", "--json")), &st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

// waitStatus polls another process's status until ok holds, for at most
// within. This observes a separate process, so polling is the means.
func (e *e2e) waitStatus(home, what string, within time.Duration, ok func(api.Status) bool) api.Status {
	e.t.Helper()
	deadline := time.Now().Add(within)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		st := e.status(home)
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: no %s within %s: %+v", home, what, within, st)
		}
		<-tick.C
	}
}

func connectedTo(id string) func(api.Status) bool {
	return func(st api.Status) bool {
		for _, p := range st.Peers {
			if p.PeerID == id {
				return true
			}
		}
		return false
	}
}

func rememberedWithError(id string) func(api.Status) bool {
	return func(st api.Status) bool {
		for _, r := range st.Remembered {
			if r.PeerID == id && r.LastError != "" {
				return true
			}
		}
		return false
	}
}

// TestEndToEndRedial: L3 connects to L2 with `mycel connect`. L2 stops:
// L3's status lists it remembered, not connected, with the last dial
// error. L2 restarts on the same port: L3 is connected to it again within
// a few seconds (before: never, in 422 s). L3 restarts: it dials L2 from
// its vault. `connect --forget` removes L2. L3 restarted with L2 (down)
// as its bootstrap peer shows it in one status line, never reached.
func TestEndToEndRedial(t *testing.T) {
	e := newE2E(t)
	l2, l3 := e.home("l2"), e.home("l3")
	for _, h := range []string{l2, l3} {
		e.mycel(h, "init", "--district", "meso-valley/north")
	}
	d2 := e.start(l2)
	d3 := e.start(l3)
	addr := e.addr(l2)
	id := addr[strings.LastIndex(addr, "/")+1:]
	listen, _ := ma.SplitLast(ma.StringCast(addr)) // the address without /p2p/<id>
	e.mycel(l3, "connect", addr)

	d2.stop(t)
	e.waitStatus(l3, "failed redial of L2", 10*time.Second, rememberedWithError(id))
	out := e.mycel(l3, "status")
	if !strings.Contains(out, "remembered peers not connected") || !strings.Contains(out, id) || !strings.Contains(out, "connect") {
		t.Fatalf("status does not list L2 as remembered:\n%s", out)
	}

	t.Logf("status of L3 with L2 stopped:\n%s", out)
	restarted := time.Now()
	d2 = e.start(l2, "--listen", listen.String())
	e.waitStatus(l3, "connection to L2 again", 10*time.Second, connectedTo(id))
	t.Logf("L3 reconnected %s after L2 restarted on the same port", time.Since(restarted).Round(time.Millisecond))

	d3.stop(t)
	d3 = e.start(l3)
	e.waitStatus(l3, "connection to L2 after L3 restarted", 10*time.Second, connectedTo(id))

	d2.stop(t)
	e.waitStatus(l3, "failed redial of L2", 10*time.Second, rememberedWithError(id))
	if got := e.mycel(l3, "connect", "--forget", id); !strings.Contains(got, "forgot "+id) {
		t.Fatalf("forget said %q", got)
	}
	if st := e.status(l3); len(st.Remembered) != 0 {
		t.Fatalf("still remembered after --forget: %+v", st.Remembered)
	}

	// A bootstrap peer that cannot be reached is one line of status.
	d3.stop(t)
	e.start(l3, "--bootstrap", addr)
	st := e.waitStatus(l3, "failed dial of the bootstrap peer", 10*time.Second, rememberedWithError(id))
	if r := st.Remembered[0]; r.Source != "bootstrap" || !r.LastSeen.IsZero() {
		t.Fatalf("bootstrap peer listed as %+v", r)
	}
	if out := e.mycel(l3, "status"); !strings.Contains(out, "bootstrap  never") {
		t.Fatalf("status does not show the bootstrap peer never reached:\n%s", out)
	}
}
