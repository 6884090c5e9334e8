package settle

import (
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"
)

// linesPosition is the covered position of account in unit read off
// every receipt line: the oracle of Ledger.Position.
func linesPosition(l *Ledger, account peer.ID, unit string) int64 {
	var pos int64
	for _, ln := range l.Lines() {
		if !ln.Counted || ln.Unit != unit {
			continue
		}
		if ln.Payer == account {
			pos -= int64(ln.Amount)
		}
		if ln.Payee == account && ln.Covered {
			pos += int64(ln.Amount)
		}
	}
	return pos
}

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
				if got, want := l.Position(a, u), linesPosition(l, a, u); got != want {
					t.Fatalf("position of %s in %s: %d, lines give %d", a, u, got, want)
				}
			}
		}
	})
}
