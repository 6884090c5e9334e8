package api

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// connCap caps the connections the API holds open. When the cap is
// reached, Accept first closes the connection idle the longest, else the
// oldest one that has sent nothing for longer than silent, and otherwise
// waits for one to close. Held connections thus cannot take descriptors
// from the mesh, nor the last slot from an honest client, whose request
// arrives with its connection.
type connCap struct {
	net.Listener
	max    int
	silent time.Duration

	mu    sync.Mutex
	used  int // connections open, and one being accepted
	open  map[*capConn]struct{}
	freed chan struct{} // a slot was released
	done  chan struct{}
	stop  sync.Once
}

func newConnCap(ln net.Listener, max int, silent time.Duration) *connCap {
	return &connCap{
		Listener: ln, max: max, silent: silent,
		open: make(map[*capConn]struct{}), freed: make(chan struct{}, 1), done: make(chan struct{}),
	}
}

// capConn is an accepted connection and what the server says it does.
type capConn struct {
	net.Conn
	l     *connCap
	state http.ConnState
	since time.Time
	once  sync.Once
}

func (c *capConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c) })
	return err
}

// Accept waits for a free slot, then accepts.
func (l *connCap) Accept() (net.Conn, error) {
	if err := l.reserve(); err != nil {
		return nil, err
	}
	c, err := l.Listener.Accept()
	if err != nil {
		l.release(nil)
		return nil, err
	}
	cc := &capConn{Conn: c, l: l, state: http.StateNew, since: time.Now()}
	l.mu.Lock()
	l.open[cc] = struct{}{}
	l.mu.Unlock()
	return cc, nil
}

// Close stops Accept, including one waiting for a slot.
func (l *connCap) Close() error {
	l.stop.Do(func() { close(l.done) })
	return l.Listener.Close()
}

func (l *connCap) reserve() error {
	for {
		l.mu.Lock()
		if l.used < l.max {
			l.used++
			l.mu.Unlock()
			return nil
		}
		victim, wait := l.victim(time.Now())
		l.mu.Unlock()
		if victim != nil {
			victim.Close()
			continue
		}
		timer := time.NewTimer(wait)
		select {
		case <-l.freed:
		case <-timer.C:
		case <-l.done:
			timer.Stop()
			return net.ErrClosed
		}
		timer.Stop()
	}
}

// victim picks the connection to reclaim, or says how long until a
// silent one may be. l.mu is held.
func (l *connCap) victim(now time.Time) (*capConn, time.Duration) {
	var idle, silent *capConn
	wait := time.Minute
	for c := range l.open {
		switch {
		case c.state == http.StateIdle && (idle == nil || c.since.Before(idle.since)):
			idle = c
		case c.state == http.StateNew && now.Sub(c.since) >= l.silent && (silent == nil || c.since.Before(silent.since)):
			silent = c
		case c.state == http.StateNew:
			wait = min(wait, l.silent-now.Sub(c.since))
		}
	}
	if idle != nil {
		return idle, 0
	}
	if silent != nil {
		return silent, 0
	}
	return nil, wait
}

// track is the http.Server's ConnState hook.
func (l *connCap) track(c net.Conn, s http.ConnState) {
	cc, ok := c.(*capConn)
	if !ok {
		return
	}
	if s == http.StateHijacked || s == http.StateClosed {
		cc.once.Do(func() { l.release(cc) })
		return
	}
	l.mu.Lock()
	cc.state, cc.since = s, time.Now()
	l.mu.Unlock()
}

// release frees the slot of c, or of a failed accept when c is nil.
func (l *connCap) release(c *capConn) {
	l.mu.Lock()
	if c != nil {
		delete(l.open, c)
	}
	l.used--
	l.mu.Unlock()
	select {
	case l.freed <- struct{}{}:
	default:
	}
}
