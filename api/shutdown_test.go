package api

import (
	"context"
	"net"
	"testing"
	"time"
)

// TestShutdownBeforeServe: a daemon told to stop the instant it is ready
// may call Shutdown before its Serve goroutine has run; Serve must then
// return at once instead of serving until the process is killed.
func TestShutdownBeforeServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	local, _ := newLocal(t)
	srv := NewServer(local, testToken, "test")
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after Shutdown: %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		ln.Close() // let the goroutine go
		<-served
		t.Fatal("Serve after Shutdown still served 10 s later")
	}
}
