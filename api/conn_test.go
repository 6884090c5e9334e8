package api

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestIdleConnectionsClosed: connections kept alive after an answer are
// closed once idle for the idle timeout; the test waits on each
// connection's EOF.
func TestIdleConnectionsClosed(t *testing.T) {
	l, _ := newLocal(t)
	addr := serveWith(t, l, func(lim *limits) { lim.idle = 100 * time.Millisecond }).addr
	conns := make([]*rawConn, 20)
	for i := range conns {
		conns[i] = dial(t, addr)
		if resp, _ := conns[i].do(t, "GET", "/v1/ping", "", auth(addr)...); resp.StatusCode != 200 || resp.Close {
			t.Fatalf("ping: %s (close %v)", resp.Status, resp.Close)
		}
	}
	for i, c := range conns {
		if err := c.closedWithin(5 * time.Second); err != nil {
			t.Fatalf("idle connection %d: %v", i, err)
		}
	}
}

// TestRefusedConnectionClosed: a request the guard refuses is answered
// with Connection: close and the connection ends with the answer, so
// holding a connection needs the token.
func TestRefusedConnectionClosed(t *testing.T) {
	l, _ := newLocal(t)
	addr := serveWith(t, l, nil).addr // default idle timeout: far longer than the wait below
	p := port(addr)
	host := "127.0.0.1:" + p
	cases := []struct {
		name   string
		header []string
		want   int
	}{
		{"no token", []string{"Host", host}, 401},
		{"wrong token", []string{"Host", host, "Authorization", "Bearer nope"}, 401},
		{"bad host", []string{"Host", "evil.example:" + p, "Authorization", "Bearer " + testToken}, 403},
		{"bad origin", append(auth(addr), "Origin", "http://evil.example"), 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn := dial(t, addr)
			resp, _ := conn.do(t, "GET", "/v1/id", "", c.header...)
			if resp.StatusCode != c.want || !resp.Close {
				t.Fatalf("%s, close %v; want %d and close", resp.Status, resp.Close, c.want)
			}
			if err := conn.closedWithin(3 * time.Second); err != nil {
				t.Fatalf("after the refusal: %v", err)
			}
		})
	}
}

// TestHonestCallsPastHeldConnections: with the connection cap taken by
// idle and by silent connections, honest calls still get through, and
// the server never holds more connections than its cap.
func TestHonestCallsPastHeldConnections(t *testing.T) {
	const capacity = 8
	l, _ := newLocal(t)
	s := serveWith(t, l, func(lim *limits) {
		lim.conns = capacity
		lim.silent = 200 * time.Millisecond
		lim.idle = time.Minute
		lim.header = time.Minute
	})
	addr := s.addr
	for range capacity {
		c := dial(t, addr)
		if resp, _ := c.do(t, "GET", "/v1/ping", "", auth(addr)...); resp.StatusCode != 200 {
			t.Fatalf("ping: %s", resp.Status)
		}
	}
	for range 2 * capacity {
		dial(t, addr) // silent: never sends a byte
	}
	client := NewClient(addr, testToken)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			if _, err := client.Ping(ctx); err != nil {
				t.Errorf("honest call %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	client.http.CloseIdleConnections()
	if peak := s.ln.peakOpen(); peak > capacity {
		t.Fatalf("the server held %d connections at once, cap %d", peak, capacity)
	}
}
