package settle

import (
	"math"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Coverage. A receipt r of payer P, unit u, at seq n is covered when P is
// unflagged, P's log is held without gaps from 1 to n, and
//
//	sent(P, u, n) - limit(district of r, u) <= received(P, u)
//
// where sent is the sum of P's receipts in u with seq <= n and received
// is the sum of covered receipts in u paying P. Covered is the least set
// that satisfies this (a least fixed point), so circular payments cover
// nothing that limits do not back. For a fixed set of flags and geneses,
// adding entries only grows sent's known prefix (without changing it)
// and received, so a covered receipt stays covered.
//
// account is the state of one (account, unit) of its owner: its
// balance; and for coverage its sends so far in seq order, what it
// received under coverage, and its receipts waiting for more received,
// by need (sent - limit).
type account struct {
	owner      *party
	unit       string
	bal        int64
	out        int64 // every counted receipt it paid, joined or not
	sent, recv int64
	wait       pending
	lim        limit // of the district of the last send
}

// limit is the credit limit of a unit in one district. Geneses change
// only by a rebuild, which makes new accounts, so an account may keep it.
type limit struct {
	district string
	known    bool
	value    int64
}

// limitIn returns the account's credit limit in district.
func (l *Ledger) limitIn(f *account, district string) int64 {
	if !f.lim.known || f.lim.district != district {
		f.lim = limit{district, true, l.limit(district, f.unit)}
	}
	return f.lim.value
}

func (l *Ledger) account(id peer.ID, unit string) *account {
	return l.ps.get(id, true).account(unit, true)
}

// booking is a receipt with the two accounts it moves, looked up once:
// the payer's and the payee's in its unit.
type booking struct {
	rec      *Record
	amount   int64
	from, to *account
}

func (l *Ledger) book(r *Record, rc *Receipt) booking {
	return booking{r, int64(rc.Amount), l.account(r.Author(), rc.Unit), l.account(rc.To(), rc.Unit)}
}

// count books the receipt into the balances.
func (b booking) count() {
	b.from.bal -= b.amount
	b.from.out += b.amount
	b.to.bal += b.amount
}

// join handles an entry that joined its author's contiguous log.
func (l *Ledger) join(r *Record) {
	if rc, ok := r.Receipt(); ok {
		l.send(l.book(r, rc))
	}
}

// send adds a receipt that joined its payer's contiguous log to the
// payer's sends, and covers it or makes it wait for income.
func (l *Ledger) send(b booking) {
	f := b.from
	f.sent = satAdd(f.sent, b.amount)
	need := f.sent - l.limitIn(f, b.rec.Entry.District)
	if need <= f.recv {
		l.cover(b)
		return
	}
	f.wait.push(waiting{need, b})
}

func (l *Ledger) cover(b booking) {
	p, seq := b.from.owner, b.rec.ID.Seq
	if n := uint64(len(p.cov)); n < seq {
		p.cov = append(p.cov, make([]bool, seq-n)...)
	}
	p.cov[seq-1] = true
	l.queue = append(l.queue, b)
}

// drain credits covered receipts to their payees, covering what waited
// for them, until nothing moves.
func (l *Ledger) drain() {
	for len(l.queue) > 0 {
		b := l.queue[len(l.queue)-1]
		l.queue = l.queue[:len(l.queue)-1]
		t := b.to
		t.recv = satAdd(t.recv, b.amount)
		for len(t.wait) > 0 && t.wait[0].need <= t.recv {
			l.cover(t.wait.pop().b)
		}
	}
}

// Covered reports whether the entry at (author, seq) is a covered receipt.
func (l *Ledger) Covered(author peer.ID, seq uint64) bool {
	l.fresh()
	p := l.ps.get(author, false)
	return p != nil && seq >= 1 && seq <= uint64(len(p.cov)) && p.cov[seq-1]
}

// satAdd adds non-negative amounts, stopping at MaxInt64: the result does
// not depend on the order of the additions.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

type waiting struct {
	need int64
	b    booking
}

// pending is a min-heap of waiting receipts by need.
type pending []waiting

func (h *pending) push(w waiting) {
	*h = append(*h, w)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].need <= s[i].need {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *pending) pop() waiting {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && s[c+1].need < s[c].need {
			c++
		}
		if s[i].need <= s[c].need {
			break
		}
		s[i], s[c] = s[c], s[i]
		i = c
	}
	*h = s
	return top
}

// Position returns account's covered position in unit: the covered
// receipts paying it less every receipt it paid that counts (none when
// it is flagged). It equals LinesPosition over Lines at the cost of one
// account lookup, which is what a credit check before a payment needs.
func (l *Ledger) Position(account peer.ID, unit string) int64 {
	l.fresh()
	p := l.ps.get(account, false)
	if p == nil {
		return 0
	}
	a := p.account(unit, false)
	if a == nil {
		return 0
	}
	return a.recv - a.out
}

// CreditLimit returns the credit limit of unit in district: its rule's
// (SetRules), else its genesis's, else 0. A new receipt of amount a by
// an unflagged payer with no gap before it is covered exactly when
// Position + CreditLimit >= a.
func (l *Ledger) CreditLimit(district, unit string) int64 {
	l.fresh()
	return l.limit(district, unit)
}

// LinesPosition is account's covered position in unit summed over
// receipt lines (Ledger.Lines): the covered receipts paying it less every
// counted receipt it paid. It serves where only the lines are at hand.
func LinesPosition(lines []Line, account peer.ID, unit string) int64 {
	var pos int64
	for _, ln := range lines {
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
