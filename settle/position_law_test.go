package settle

import (
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"
)

// TestLawPosition: the position the ledger keeps per account equals the
// sum over the receipt lines, for every author and unit of random
// histories fed entry by entry.
func TestLawPosition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		l := NewLedger(nil)
		units := map[string]bool{}
		accounts := map[peer.ID]bool{}
		for _, r := range recs {
			l.Add(r)
			accounts[r.Author()] = true
			if rc, ok := r.Receipt(); ok {
				units[rc.Unit] = true
				accounts[rc.To()] = true
			}
		}
		for a := range accounts {
			for u := range units {
				if got, want := l.Position(a, u), LinesPosition(l.Lines(), a, u); got != want {
					t.Fatalf("position of %s in %s: %d, lines give %d", a, u, got, want)
				}
			}
		}
	})
}
