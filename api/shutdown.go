package api

import (
	"context"
	"net/http"
)

// Stopping is the answer of POST /v1/shutdown.
type Stopping struct {
	Stopping bool `json:"stopping"`
}

// Stopping is closed once a client has asked the daemon to stop
// (POST /v1/shutdown); the daemon then shuts down as on SIGTERM.
func (s *Server) Stopping() <-chan struct{} { return s.stop }

// shutdown answers first, then asks the daemon to stop: the server's
// Shutdown waits for this request, which is done by then.
func (s *Server) shutdown(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, Stopping{Stopping: true})
	s.stopOnce.Do(func() { close(s.stop) })
}

// Shutdown asks the daemon to stop cleanly, as SIGTERM does; it returns
// once the daemon has taken the request, not once it has stopped.
func (c *Client) Shutdown(ctx context.Context) error {
	var v Stopping
	return c.do(ctx, http.MethodPost, "/v1/shutdown", nil, "", &v)
}
