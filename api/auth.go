package api

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
)

// Listen opens the API listener. Only loopback addresses are accepted:
// the API steers the peer and must not be reachable from the network.
func Listen(addr string) (net.Listener, error) {
	if err := CheckLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("api listen %s: %w", addr, err)
	}
	return ln, nil
}

// CheckLoopback refuses an API address whose host is not loopback.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return badInput("api address %q is not host:port", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return badInput("api address %q is not loopback: use 127.0.0.1:PORT", addr)
	}
	return nil
}

// guard admits a request only when it names the API by a loopback host
// (defeating DNS rebinding), comes from no foreign browser origin, and
// carries the bearer token.
type guard struct {
	token []byte
	hosts []string // acceptable Host headers
	next  http.Handler
	// session: next admits requests by its own session, not the token.
	session bool
}

func newGuard(token string, port string, next http.Handler) *guard {
	hosts := []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port}
	return &guard{token: []byte(token), hosts: hosts, next: next}
}

// ServeHTTP answers a refused request with Connection: close, so that
// holding a connection open needs the token; its body is never read.
func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := g.refuse(r); err != nil {
		w.Header().Set("Connection", "close")
		writeError(w, err)
		return
	}
	g.next.ServeHTTP(w, r)
}

// refuse says why r is not admitted, or nil.
func (g *guard) refuse(r *http.Request) error {
	if !slices.Contains(g.hosts, r.Host) {
		return fmt.Errorf("%w: host %q is not this API's loopback address", ErrForbidden, r.Host)
	}
	if err := g.checkOrigin(r.Header.Values("Origin")); err != nil {
		return err
	}
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		return fmt.Errorf("%w: %s browser request", ErrForbidden, s)
	}
	if g.session {
		return nil
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(tok), g.token) != 1 {
		return ErrUnauthorized
	}
	return nil
}

// checkOrigin admits no Origin header, or exactly one that is http://
// followed by one of the API's hosts, character for character.
func (g *guard) checkOrigin(origins []string) error {
	switch {
	case len(origins) == 0:
		return nil
	case len(origins) > 1:
		return fmt.Errorf("%w: %d Origin headers", ErrForbidden, len(origins))
	}
	host, ok := strings.CutPrefix(origins[0], "http://")
	if !ok || !slices.Contains(g.hosts, host) {
		return fmt.Errorf("%w: cross-origin request from %q", ErrForbidden, origins[0])
	}
	return nil
}
