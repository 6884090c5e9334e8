package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/mesocosm/mycel/bundle"
)

// importHold is what a bundle import is charged against the upload
// budget: a chunk of blocks at its largest (bundle.BatchBytes and one
// section more), which is what bundle.Import holds at once whatever the
// bundle's length.
const importHold = bundle.BatchBytes + bundle.MaxSection

// budget is a semaphore of bytes: the request bodies that handlers hold
// in memory, all requests together.
type budget struct {
	mu      sync.Mutex
	free    int64
	changed chan struct{} // closed and replaced when bytes are given back
}

func newBudget(total int64) *budget {
	return &budget{free: total, changed: make(chan struct{})}
}

// take reserves n bytes, waiting up to wait for them; false if they did
// not come in time or ctx ended.
func (b *budget) take(ctx context.Context, n int64, wait time.Duration) bool {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		b.mu.Lock()
		if n <= b.free {
			b.free -= n
			b.mu.Unlock()
			return true
		}
		changed := b.changed
		b.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func (b *budget) give(n int64) {
	b.mu.Lock()
	b.free += n
	close(b.changed)
	b.changed = make(chan struct{})
	b.mu.Unlock()
}

// uploadRule says how a route's body arrives and what it costs.
type uploadRule struct {
	body bodyRule
	max  int64 // largest body accepted; 0: a stream of any length
	hold int64 // bytes held in memory for a stream (max == 0)
}

// charge is what r costs the budget: its declared length within max, or
// max when it declares none; hold for a stream.
func (u uploadRule) charge(r *http.Request) int64 {
	switch {
	case u.max == 0:
		return u.hold
	case r.ContentLength >= 0:
		return min(r.ContentLength, u.max)
	}
	return u.max
}

// upload wraps a handler that holds its request body in memory: the
// body's bytes are reserved from the budget before one is read, and its
// rule replaces the JSON one. A body declared over max, or one that
// finds no budget in time, is refused unread and the connection closed.
func (s *Server) upload(u uploadRule, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if u.max > 0 && r.ContentLength > u.max {
			w.Header().Set("Connection", "close")
			writeError(w, badInput("request body is %d bytes, limit %d", r.ContentLength, u.max))
			return
		}
		n := min(u.charge(r), s.lim.budget)
		if !s.budget.take(r.Context(), n, s.lim.budgetWait) {
			w.Header().Set("Connection", "close")
			writeError(w, busy("the daemon is holding other uploads (%d MiB at once): retry when they finish", s.lim.budget>>20))
			return
		}
		defer s.budget.give(n)
		setRule(r, u.body)
		h(w, r)
	}
}
