package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
)

// hopBound is the delivery bound per hop at p99 (PROTOCOL §5.5).
const hopBound = 2 * time.Second

// benchE2E is newE2E, or a prebuilt binary named by MYCEL_E2E_BIN (to
// measure another build of the same commands).
func benchE2E(t *testing.T) *e2e {
	if bin := os.Getenv("MYCEL_E2E_BIN"); bin != "" {
		return &e2e{t: t, bin: bin, dir: t.TempDir()}
	}
	return newE2E(t)
}

// holds reports whether the daemon of home holds proof cid, without
// failing the test (it runs beside other polls).
func (e *e2e) holds(home, cid string) bool {
	out, err := exec.Command(e.bin, "--home", home, "proofs", "--json").Output()
	var ps []api.Proof
	if err != nil || json.Unmarshal(out, &ps) != nil {
		return false
	}
	return slices.ContainsFunc(ps, func(p api.Proof) bool { return p.CID == cid })
}

// arrival polls home until it holds cid, and returns the time since
// start, or wait if it never does by then.
func (e *e2e) arrival(home, cid string, start time.Time, wait time.Duration) time.Duration {
	for time.Since(start) < wait {
		if e.holds(home, cid) {
			return time.Since(start)
		}
	}
	return wait
}

// twoHopRun starts daemons a–b–c with a 30 s round (so the round cannot
// mask a lost delivery), connects a→b and c→b, publishes on a at once and
// returns when b and c held the proof.
func (e *e2e) twoHopRun(run int, claimFile string, wait time.Duration) (oneHop, twoHop time.Duration) {
	var homes []string
	for _, name := range []string{"a", "b", "c"} {
		h := e.home(fmt.Sprintf("%s%d", name, run))
		e.mycel(h, "init", "--district", "meso-valley/north")
		homes = append(homes, h)
	}
	var ds []*daemon
	for _, h := range homes {
		ds = append(ds, e.start(h, "--sync-interval", "30s"))
	}
	defer func() {
		for _, d := range ds {
			d.stop(e.t)
		}
	}()
	a, b, c := homes[0], homes[1], homes[2]
	e.mycel(a, "connect", e.addr(b))
	e.mycel(c, "connect", e.addr(b))
	start := time.Now()
	cid := e.publish(a, claimFile)
	got := make(chan time.Duration, 1)
	go func() { got <- e.arrival(b, cid, start, wait) }()
	twoHop = e.arrival(c, cid, start, wait)
	return <-got, twoHop
}

// TestEndToEndTwoHopDelivery: real daemons in a line a–b–c, a and c not
// linked; `connect` a→b and c→b, then `proof publish` on a at once: b
// holds the proof within one hop's bound and c within two, at p99 (8 runs;
// 40 with MYCEL_HOSTILE_LONG=1). Before the sync kick on graft, c got it
// only at the next 30 s round in 6 of 12 runs (MYCEL_E2E_BIN runs these
// steps with another build). Times include the
// CLI's own start and the polling (one `proofs` call takes tens of ms).
func TestEndToEndTwoHopDelivery(t *testing.T) {
	e := benchE2E(t)
	runs := 8
	if os.Getenv("MYCEL_HOSTILE_LONG") == "1" {
		runs = 40
	}
	claimFile := filepath.Join(e.dir, "claim.json")
	if err := os.WriteFile(claimFile, []byte(claim), 0o600); err != nil {
		t.Fatal(err)
	}
	wait := 3 * hopBound
	var one, two []time.Duration
	for i := range runs {
		o, w := e.twoHopRun(i, claimFile, wait)
		one, two = append(one, o), append(two, w)
	}
	p := func(ds []time.Duration, q float64) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[min(len(s)-1, int(q*float64(len(s))))]
	}
	var late bytes.Buffer
	for i, d := range two {
		if d >= wait {
			fmt.Fprintf(&late, " run %d", i)
		}
	}
	t.Logf("%d runs on real daemons: one hop p50 %s p99 %s; two hops p50 %s p99 %s; not within %s:%s", runs,
		p(one, 0.5), p(one, 0.99), p(two, 0.5), p(two, 0.99), wait, late.String())
	if p(one, 0.99) > hopBound || p(two, 0.99) > 2*hopBound {
		t.Fatalf("delivery over %s per hop at p99", hopBound)
	}
}
