package api

import (
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/settle"
)

// position is what a payer holds in one unit, as the ledger's coverage
// rule (docs/PROTOCOL.md §8.6) sees it.
type position struct {
	covered int64 // covered receipts received minus every receipt sent
	limit   int64 // the credit limit of the district paid in
}

// coverCheck refuses a payment of amount in unit and district that the
// payer's covered income and the district's credit limit do not back: the
// receipt would not be covered when it joins the payer's log.
func (l *Local) coverCheck(payer peer.ID, district, unit string, amount uint64) error {
	var pos position
	if l.Position != nil {
		pos.covered = l.Position(payer, unit)
	} else {
		v, err := l.views()
		if errors.Is(err, ErrOffline) {
			return nil // no views at all: nothing to judge by; the ledger still marks it
		}
		if err != nil {
			// The views exist but cannot be read (a damaged vault): the
			// payment cannot be judged, so it is not signed unchecked.
			return fmt.Errorf("credit check: %w", err)
		}
		pos.covered = settle.LinesPosition(v.Lines(), payer, unit)
	}
	rs, err := l.rosters()
	if err != nil {
		return err
	}
	if ro := rs[district]; ro != nil {
		pos.limit = int64(ro.Limits[unit])
	}
	after := pos.covered - int64(amount)
	if after >= -pos.limit {
		return nil
	}
	short := -pos.limit - after
	can := max(0, pos.covered+pos.limit)
	return badInput("paying %d %s goes beyond your credit limit in %s: limit %d, covered balance %d, shortfall %d; pay at most %d, or pass --allow-uncovered to sign it anyway (the payee then holds it uncovered)",
		amount, unit, orGlobalName(district), pos.limit, pos.covered, short, can)
}

func orGlobalName(d string) string {
	if d == "" {
		return "the global scope"
	}
	return d
}
