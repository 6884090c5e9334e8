package embed

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/mesocosm/mycel/api"
)

// Version is the version the control API of an embedded peer reports
// (GET /v1/ping) unless the embedder builds its own Server.
const Version = "embedded"

// shutdownWait bounds how long Serve waits for requests in flight.
const shutdownWait = 5 * time.Second

// Server returns a control API server over the peer that admits requests
// bearing token and reports version: the caller serves it on a loopback
// listener (api.Listen) and shuts it down.
func (p *Peer) Server(token, version string) *api.Server {
	return api.NewServer(p.Local, token, version)
}

// Serve serves the control API on ln, admitting requests bearing token,
// until ctx ends or a client asks it to stop (POST /v1/shutdown); it then
// waits at most five seconds for requests in flight and returns nil. The
// CLI and api.Client talk to it as to a daemon.
func (p *Peer) Serve(ctx context.Context, ln net.Listener, token string) error {
	srv := p.Server(token, Version)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case <-srv.Stopping():
	case err := <-served:
		return fmt.Errorf("embed serve: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-served
	return err
}
