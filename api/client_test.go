package api

import (
	"context"
	"net"
	"testing"
	"time"
)

// TestClientGivesUpOnSilentDaemon: a daemon that accepts the connection
// and reads the request but never answers does not hang the client.
func TestClientGivesUpOnSilentDaemon(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	c := newClient(ln.Addr().String(), "token", 200*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Status(ctx); err == nil || ctx.Err() != nil {
		t.Fatalf("status against a silent daemon: %v (context: %v)", err, ctx.Err())
	}
	(<-accepted).Close()
}
