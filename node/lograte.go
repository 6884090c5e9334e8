package node

import (
	"errors"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Rejection log limits: one line per peer and reason per RejectLogEvery;
// the next line says how many were left out meanwhile. A peer is held
// with at most maxReasons reasons (more share one slot, "other"), and at
// most maxLoggedPeers peers (past it the quiet ones are forgotten), so a
// hostile peer can neither flood the log nor grow the limiter.
const (
	RejectLogEvery = time.Minute
	maxReasons     = 8
	maxLoggedPeers = 1024
	maxReasonLen   = 120
)

// rejectLimit decides which rejections get a log line. It is owned by the
// log loop: no lock.
type rejectLimit struct {
	peers map[peer.ID]map[string]*rejectSlot
}

type rejectSlot struct {
	last       time.Time // when a line was last written
	suppressed int       // left out since
}

// allow reports whether a rejection from p for reason at now gets a line,
// and how many of the same were left out since the last one.
func (l *rejectLimit) allow(p peer.ID, reason string, now time.Time) (ok bool, suppressed int) {
	if l.peers == nil {
		l.peers = map[peer.ID]map[string]*rejectSlot{}
	}
	rs, ok := l.peers[p]
	if !ok {
		if len(l.peers) >= maxLoggedPeers {
			l.prune(now)
		}
		rs = map[string]*rejectSlot{}
		l.peers[p] = rs
	}
	s, ok := rs[reason]
	if !ok {
		if len(rs) >= maxReasons-1 {
			reason = "other"
		}
		if s, ok = rs[reason]; !ok {
			s = &rejectSlot{}
			rs[reason] = s
		}
	}
	if !s.last.IsZero() && now.Sub(s.last) < RejectLogEvery {
		s.suppressed++
		return false, 0
	}
	suppressed, s.last, s.suppressed = s.suppressed, now, 0
	return true, suppressed
}

// prune forgets peers with nothing left out whose last line is older than
// the window; if none qualifies, it forgets all (they start afresh).
func (l *rejectLimit) prune(now time.Time) {
	for p, rs := range l.peers {
		quiet := true
		for _, s := range rs {
			quiet = quiet && s.suppressed == 0 && now.Sub(s.last) >= RejectLogEvery
		}
		if quiet {
			delete(l.peers, p)
		}
	}
	if len(l.peers) >= maxLoggedPeers {
		clear(l.peers)
	}
}

// reasonKey names the cause of a rejection for the limiter: the innermost
// wrapped error, which names the rule broken without the details that
// vary from entry to entry, cut to maxReasonLen.
func reasonKey(err error) string {
	if err == nil {
		return "unknown"
	}
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			break
		}
		err = inner
	}
	return cut(err.Error(), maxReasonLen)
}

// cut shortens s to at most n bytes.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
