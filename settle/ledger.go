package settle

import (
	"maps"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Ledger is the mutual-credit view of a set, kept up to date entry by
// entry. Add costs O(1) amortised for a receipt (O(log n) when it waits
// for coverage). A fork or fraud entry of an author already flagged costs
// O(1); one that flags an author who wrote no receipt costs the length of
// that author's log. An entry that changes the rules otherwise (a new
// flag on a payer, a new genesis, another block of a district entry) marks the view
// stale, and the next read recomputes it as Compute does from scratch, so
// a burst of such entries costs one recomputation. Both give the same
// view of the same set.
//
// The view: the balance of (account, unit) is what it received minus
// what it sent, over the receipts of unflagged authors. Coverage is
// reported beside balances and never subtracted from them (see coverage.go).
type Ledger struct {
	set   *Set
	pins  Pins
	rules Rules // the limits districts' votes set
	flags Flags
	gen   map[string]*Record // genesis per district
	ps    parties
	queue []booking // covered, not yet credited to the payee
	stale bool      // balances and coverage wait for a rebuild
}

// NewLedger returns the ledger of an empty set.
func NewLedger(pins Pins) *Ledger { return Compute(NewSet(), pins) }

// Compute returns the ledger of s, computed from scratch. The ledger owns
// s from then on: Add inserts into it.
func Compute(s *Set, pins Pins) *Ledger { return ComputeUnder(s, pins, nil) }

// ComputeUnder is Compute with the credit limits of rules (see SetRules).
func ComputeUnder(s *Set, pins Pins, rules Rules) *Ledger {
	l := &Ledger{set: s, pins: pins, rules: rules}
	l.rebuild()
	return l
}

// Set returns the set the ledger views.
func (l *Ledger) Set() *Set { return l.set }

// Add inserts r into the ledger's set, updates the view, and returns
// what the insert changed in the set.
func (l *Ledger) Add(r *Record) Change {
	ins := l.set.Insert(r)
	if ins.Change != Known {
		l.update(r, ins)
	}
	return ins.Change
}

// update brings the view up to date with an insert that changed the set.
func (l *Ledger) update(r *Record, ins Insert) {
	if l.newGenesis(r) {
		l.stale = true
	}
	if a, ok := accused(r); ok {
		l.flag(a) // whatever side of a fork r sits on: Flagged counts every entry
	}
	switch ins.Change {
	case Forked:
		l.flag(r.Author())
		return
	case Replaced, Resigned:
		// Another block of a held entry: the view reads identities, so
		// only a pin (which names a block) may now name a genesis.
		_, district := r.Body.(*District)
		l.stale = l.stale || district
		return
	}
	if l.stale || l.flags[r.Author()] {
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

// flag flags author a. Flagging removes a's receipts from the view: with
// none held only the flag changes, else the view goes stale.
func (l *Ledger) flag(a peer.ID) {
	if l.flags[a] {
		return
	}
	l.flags[a] = true
	if !l.stale && l.set.wrote(a, func(r *Record) bool { _, ok := r.Receipt(); return ok }) {
		l.stale = true
	}
}

// newGenesis reports whether r becomes the genesis of its district.
func (l *Ledger) newGenesis(r *Record) bool {
	if _, ok := r.Body.(*District); !ok {
		return false
	}
	d := r.Entry.District
	old := l.gen[d]
	cands := []*Record{r}
	if old != nil {
		cands = append(cands, old)
	}
	return Genesis(cands, pinsIn(l.set, Pins{d: l.pins[d]})[d]) != old
}

// fresh recomputes a stale view.
func (l *Ledger) fresh() {
	if l.stale {
		l.rebuild()
	}
}

func (l *Ledger) rebuild() {
	l.stale = false
	l.flags = Flagged(l.set)
	l.gen = geneses(l.set.Each, pinsIn(l.set, l.pins))
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

// SetRules puts in force the credit limits the districts' votes set: a
// district with a Rule takes the rule's limits in place of its genesis's.
// Rules that change a limit make the view stale. The Ledger keeps rules:
// the caller must not change it.
func (l *Ledger) SetRules(rules Rules) {
	old := l.rules
	l.rules = rules
	if l.stale {
		return
	}
	for d := range l.gen { // limits apply only where a genesis is
		if !maps.Equal(l.limitsUnder(old, d), l.limitsUnder(rules, d)) {
			l.stale = true
			return
		}
	}
}

// limitsUnder is the credit limits of district d under rules: its rule's,
// else its genesis's. A rule that leaves the genesis's limits as they are
// changes nothing.
func (l *Ledger) limitsUnder(rules Rules, d string) map[string]uint64 {
	if ru := rules[d]; ru != nil {
		return ru.Limits
	}
	return l.gen[d].Body.(*District).Limits
}

// limit returns the credit limit of unit in district (limitsUnder), 0
// without a genesis.
func (l *Ledger) limit(district, unit string) int64 {
	if l.gen[district] == nil {
		return 0
	}
	return int64(l.limitsUnder(l.rules, district)[unit])
}

// Flagged reports whether author is flagged.
func (l *Ledger) Flagged(author peer.ID) bool { return l.flags[author] }

// Flags lists the flagged authors in byte order.
func (l *Ledger) Flags() []peer.ID { return l.flags.List() }

// Balance returns the balance of account in unit.
func (l *Ledger) Balance(account peer.ID, unit string) int64 {
	l.fresh()
	if p := l.ps.get(account, false); p != nil {
		if a := p.account(unit, false); a != nil {
			return a.bal
		}
	}
	return 0
}

// Stale reports whether the next read recomputes the view.
func (l *Ledger) Stale() bool { return l.stale }

// FlagCount is the number of flagged authors, at the cost of O(1).
func (l *Ledger) FlagCount() int { return len(l.flags) }
