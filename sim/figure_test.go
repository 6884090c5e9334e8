package sim

import (
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mesocosm/mycel/protocol"
)

// TestHealFigure measures the time to converge after a heal against the
// number of entries one side of a partition is missing, 100 simulated
// peers (MYCEL_SIM_LONG=1): the peers split in two random halves, clinics
// on one side publish m proofs, the partition heals, and the run waits
// until every peer holds the same entries and ledger.
func TestHealFigure(t *testing.T) {
	if os.Getenv("MYCEL_SIM_LONG") != "1" {
		t.Skip("set MYCEL_SIM_LONG=1")
	}
	for _, m := range []int{1, 10, 100, 1000} {
		start := time.Now()
		var conv time.Duration
		var hops int
		synctest.Test(t, func(t *testing.T) {
			w := newWorld(t, 7, 100, simConfig())
			defer w.close()
			hops = w.diameter()
			w.genesis()
			time.Sleep(5 * time.Second)
			w.side = make([]bool, len(w.peers))
			for i := range w.side {
				w.side[i] = i%2 == 1
			}
			w.reconcile()
			for i := range m {
				p := w.peers[5+2*(i%47)] // clinics on side false
				w.publish(p, protocol.KindProof, hltProof(i))
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(5 * time.Second)
			var err error
			if conv, err = w.converge(w.healAll(), time.Second, 30*time.Minute); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("100 peers, diameter %d hops, %4d missing entries: converged %s virtual after the heal, %s real", hops, m, conv, time.Since(start).Round(time.Millisecond))
	}
}
