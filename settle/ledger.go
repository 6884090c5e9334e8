package settle

import (
	"github.com/libp2p/go-libp2p/core/peer"
)

// Ledger is the mutual-credit view of a set, kept up to date entry by
// entry. Add costs O(1) amortised for a receipt (O(log n) when it waits
// for coverage); an entry that changes the rules (a new flag, a new
// genesis, a re-signed duplicate) recomputes the view, which Compute does
// from scratch. Both give the same view of the same set.
//
// The view: the balance of (account, unit) is what it received minus
// what it sent, over the receipts of unflagged authors. Coverage is
// reported beside balances and never subtracted from them (see coverage.go).
type Ledger struct {
	set   *Set
	pins  Pins
	flags Flags
	gen   map[string]*Record // genesis per district
	ps    parties
	queue []booking // covered, not yet credited to the payee
}

// NewLedger returns the ledger of an empty set.
func NewLedger(pins Pins) *Ledger { return Compute(NewSet(), pins) }

// Compute returns the ledger of s, computed from scratch. The ledger owns
// s from then on: Add inserts into it.
func Compute(s *Set, pins Pins) *Ledger {
	l := &Ledger{set: s, pins: pins}
	l.rebuild()
	return l
}

// Set returns the set the ledger views.
func (l *Ledger) Set() *Set { return l.set }

// Add inserts r into the ledger's set and updates the view.
func (l *Ledger) Add(r *Record) {
	ins := l.set.Insert(r)
	switch {
	case ins.Change == Known:
		return
	case ins.Change != Added || l.changesRules(r):
		l.rebuild()
		return
	}
	if l.flags[r.Author()] {
		return
	}
	var b booking
	if rc, ok := r.Receipt(); ok {
		b = l.book(r, rc)
		b.count()
	}
	for _, j := range ins.Joined {
		if j == r && b.rec == r {
			l.send(b) // r's accounts are looked up already
			continue
		}
		l.join(j)
	}
	l.drain()
}

// changesRules reports whether r flags someone new or becomes a genesis.
func (l *Ledger) changesRules(r *Record) bool {
	if a, ok := accused(r); ok {
		return !l.flags[a]
	}
	if _, ok := r.Body.(*District); ok {
		d := r.Entry.District
		old := l.gen[d]
		cands := []*Record{r}
		if old != nil {
			cands = append(cands, old)
		}
		return Genesis(cands, l.pins[d]) != old
	}
	return false
}

func (l *Ledger) rebuild() {
	l.flags = Flagged(l.set)
	l.gen = geneses(l.set, l.pins)
	l.ps = parties{}
	l.queue = nil
	for _, a := range l.set.Authors() {
		if l.flags[a] {
			continue
		}
		l.set.log(a).each(func(r *Record) {
			if rc, ok := r.Receipt(); ok {
				l.book(r, rc).count()
			}
		})
		for seq := uint64(1); seq <= l.set.Head(a); seq++ {
			l.join(l.set.log(a).first(seq))
		}
	}
	l.drain()
}

// limit returns the credit limit of unit in district.
func (l *Ledger) limit(district, unit string) int64 {
	if g := l.gen[district]; g != nil {
		return int64(g.Body.(*District).Limits[unit])
	}
	return 0
}

// Flagged reports whether author is flagged.
func (l *Ledger) Flagged(author peer.ID) bool { return l.flags[author] }

// Flags lists the flagged authors in byte order.
func (l *Ledger) Flags() []peer.ID { return l.flags.List() }

// Balance returns the balance of account in unit.
func (l *Ledger) Balance(account peer.ID, unit string) int64 {
	if p := l.ps.get(account, false); p != nil {
		if a := p.account(unit, false); a != nil {
			return a.bal
		}
	}
	return 0
}
