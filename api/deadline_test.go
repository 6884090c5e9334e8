package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// startBody sends a request announcing a body of declared bytes and
// only the first part of it, then stalls.
func (c *rawConn) startBody(t *testing.T, path string, declared int, part string, header ...string) {
	t.Helper()
	msg := fmt.Sprintf("POST %s HTTP/1.1\r\nContent-Length: %d\r\n", path, declared)
	for i := 0; i+1 < len(header); i += 2 {
		msg += header[i] + ": " + header[i+1] + "\r\n"
	}
	if _, err := c.Write([]byte(msg + "\r\n" + part)); err != nil {
		t.Fatal(err)
	}
}

// answeredWithin waits up to d for the server's answer, then for the
// connection to close.
func (c *rawConn) answeredWithin(t *testing.T, d time.Duration) int {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		t.Fatalf("no answer within %v: %v", d, err)
	}
	io.ReadAll(resp.Body)
	if err := c.closedWithin(d); err != nil {
		t.Fatalf("after the answer: %v", err)
	}
	return resp.StatusCode
}

// TestSlowBodiesCut: an authenticated client that announces a body and
// stops sending is answered and cut off once the route's body deadline
// passes: JSON, evidence and bundle import alike.
func TestSlowBodiesCut(t *testing.T) {
	l, _ := newLocal(t)
	addr := serveWith(t, l, func(lim *limits) {
		lim.jsonBody = 300 * time.Millisecond
		lim.evidenceBody = 300 * time.Millisecond
		lim.streamGrace = 300 * time.Millisecond
		lim.streamRate = 1 << 20
	}).addr
	for _, path := range []string{"/v1/connect", "/v1/evidence?label=x", "/v1/bundles/import", "/v1/bundles/export"} {
		t.Run(path, func(t *testing.T) {
			c := dial(t, addr)
			c.startBody(t, path, 1000, `{"a`, auth(addr)...)
			if code := c.answeredWithin(t, 5*time.Second); code != 400 {
				t.Fatalf("status %d, want 400", code)
			}
		})
	}
}

// slowConnect is a Service whose Connect takes a while after its body
// has been read, and reports whether its context ended meanwhile.
type slowConnect struct {
	*Local
	took      time.Duration
	cancelled chan bool
}

func (s *slowConnect) Connect(ctx context.Context, addr string) (Peer, error) {
	select {
	case <-ctx.Done():
		s.cancelled <- true
	case <-time.After(s.took):
		s.cancelled <- false
	}
	return Peer{Addr: addr}, nil
}

// TestBodyDeadlineSparesHandler: once the body is read, its deadline
// no longer runs: a handler working past it keeps its context.
func TestBodyDeadlineSparesHandler(t *testing.T) {
	l, _ := newLocal(t)
	svc := &slowConnect{Local: l, took: 500 * time.Millisecond, cancelled: make(chan bool, 1)}
	addr := serveWith(t, svc, func(lim *limits) { lim.jsonBody = 100 * time.Millisecond }).addr
	resp, body := dial(t, addr).do(t, "POST", "/v1/connect", `{"addr":"/ip4/127.0.0.1/tcp/1/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN"}`, auth(addr)...)
	if <-svc.cancelled {
		t.Fatal("the handler's context ended with the body deadline")
	}
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s", resp.Status, body)
	}
}
