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
// account is the state of one (account, unit): its balance; and for
// coverage its sends so far in seq order, what it received under
// coverage, and its receipts waiting for more received, by need
// (sent - limit).
type account struct {
	unit       string
	bal        int64
	sent, recv int64
	wait       pending
}

func (l *Ledger) account(id peer.ID, unit string) *account {
	return l.ps.get(id, true).account(unit, true)
}

// join handles an entry that joined its author's contiguous log.
func (l *Ledger) join(r *Record) {
	rc, ok := r.Receipt()
	if !ok {
		return
	}
	f := l.account(r.Author(), rc.Unit)
	f.sent = satAdd(f.sent, int64(rc.Amount))
	need := f.sent - l.limit(r.Entry.District, rc.Unit)
	if need <= f.recv {
		l.cover(r)
		return
	}
	f.wait.push(waiting{need, r})
}

func (l *Ledger) cover(r *Record) {
	p := l.ps.get(r.Author(), true)
	for uint64(len(p.cov)) < r.ID.Seq {
		p.cov = append(p.cov, false)
	}
	p.cov[r.ID.Seq-1] = true
	l.queue = append(l.queue, r)
}

// drain credits covered receipts to their payees, covering what waited
// for them, until nothing moves.
func (l *Ledger) drain() {
	for len(l.queue) > 0 {
		r := l.queue[len(l.queue)-1]
		l.queue = l.queue[:len(l.queue)-1]
		rc, _ := r.Receipt()
		f := l.account(rc.To(), rc.Unit)
		f.recv = satAdd(f.recv, int64(rc.Amount))
		for len(f.wait) > 0 && f.wait[0].need <= f.recv {
			l.cover(f.wait.pop().rec)
		}
	}
}

// Covered reports whether the entry at (author, seq) is a covered receipt.
func (l *Ledger) Covered(author peer.ID, seq uint64) bool {
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
	rec  *Record
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
