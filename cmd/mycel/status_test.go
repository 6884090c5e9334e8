package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
)

// TestPrintStatusExplains: warnings come first, one line each, and each
// peer's row says its last entry, how its last sync went and its clock.
func TestPrintStatusExplains(t *testing.T) {
	var out bytes.Buffer
	a := &app{stdout: &out}
	skew := int64(-90_000)
	now := time.Now()
	st := api.Status{
		Warnings: []string{"1 fork(s) held: X wrote two entries", "bootstrap peer B unreachable: connection refused"},
		Self:     api.Self{PeerID: "self", Reachability: api.ReachLAN},
		Peers: []api.Peer{
			{PeerID: "p1", Connection: "lan", LastSeen: now, LastEntry: now.Add(-3 * time.Second), LastSync: &api.PeerSync{At: now.Add(-5 * time.Second), InSync: true}},
			{PeerID: "p2", Connection: "relayed", LastSeen: now, LastSync: &api.PeerSync{At: now, InSync: true, New: 4, Sent: 2}, ClockSkewMS: &skew},
			{PeerID: "p3", Connection: "direct", LastSeen: now, LastSync: &api.PeerSync{At: now, Error: "stream reset"}},
		},
	}
	if err := a.printStatus(st); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if !strings.HasPrefix(lines[0], "WARNING: 1 fork(s) held") || !strings.HasPrefix(lines[1], "WARNING: bootstrap peer B unreachable") {
		t.Fatalf("warnings not first:\n%s", out.String())
	}
	for _, want := range []string{"LAN only: no public address", "LAST ENTRY", "in sync 5s ago", "got 4, sent 2", "1m30s behind", "failed now: stream reset"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, out.String())
		}
	}
}
