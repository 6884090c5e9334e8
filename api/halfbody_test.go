package api

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// TestRefusedHalfBodyClosed: a client without the token declares a body
// and sends only part of it. The refusal closes the connection at once:
// the rest of the body is not waited for, and honest calls get the slot.
func TestRefusedHalfBodyClosed(t *testing.T) {
	l, _ := newLocal(t)
	s := serveWith(t, l, func(lim *limits) {
		lim.conns = 2
		lim.silent = 100 * time.Millisecond
		lim.header = time.Second
		lim.idle = time.Second
	})
	addr := s.addr
	host := "127.0.0.1:" + port(addr)
	for i := range 2 {
		c := dial(t, addr)
		msg := fmt.Sprintf("POST /v1/id HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\nx", host)
		if _, err := c.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		resp, err := http.ReadResponse(c.br, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("conn %d: %s close=%v", i, resp.Status, resp.Close)
		io.ReadAll(resp.Body)
		if err := c.closedWithin(4 * time.Second); err != nil {
			t.Errorf("conn %d after refusal: %v", i, err)
		}
	}
	// honest call
	c := dial(t, addr)
	done := make(chan int, 1)
	go func() {
		resp, _ := c.do(t, "GET", "/v1/ping", "", auth(addr)...)
		done <- resp.StatusCode
	}()
	select {
	case code := <-done:
		t.Logf("honest ping: %d", code)
	case <-time.After(5 * time.Second):
		t.Errorf("honest ping blocked for 5 s behind two refused, half-sent bodies")
	}
}

// TestUnreadHalfBodyClosed: with the token, a half-sent body on a route
// that reads it, or on one that never does (ping), is waited for no
// longer than a JSON body's deadline, then the connection is closed.
func TestUnreadHalfBodyClosed(t *testing.T) {
	l, _ := newLocal(t)
	s := serveWith(t, l, func(lim *limits) { lim.header = time.Second; lim.idle = time.Second; lim.jsonBody = time.Second })
	addr := s.addr
	c := dial(t, addr)
	msg := fmt.Sprintf("POST /v1/connect HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\nContent-Length: 1000\r\n\r\n{", port(addr), testToken)
	c.Write([]byte(msg))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	t.Logf("connect: %s", resp.Status)
	io.ReadAll(resp.Body)
	c2 := dial(t, addr)
	msg = fmt.Sprintf("GET /v1/ping HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\nContent-Length: 1000\r\n\r\n{", port(addr), testToken)
	c2.Write([]byte(msg))
	c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err = http.ReadResponse(c2.br, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	t.Logf("ping: %s close=%v", resp.Status, resp.Close)
	io.ReadAll(resp.Body)
	if err := c2.closedWithin(4 * time.Second); err != nil {
		t.Errorf("ping with unread half body: %v", err)
	}
}
