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
}

func newGuard(token string, port string, next http.Handler) *guard {
	hosts := []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port}
	return &guard{token: []byte(token), hosts: hosts, next: next}
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !slices.Contains(g.hosts, r.Host) {
		writeError(w, fmt.Errorf("%w: host %q is not this API's loopback address", ErrForbidden, r.Host))
		return
	}
	if o := r.Header.Get("Origin"); o != "" && !slices.Contains(g.hosts, strings.TrimPrefix(o, "http://")) {
		writeError(w, fmt.Errorf("%w: cross-origin request from %q", ErrForbidden, o))
		return
	}
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		writeError(w, fmt.Errorf("%w: %s browser request", ErrForbidden, s))
		return
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(tok), g.token) != 1 {
		writeError(w, ErrUnauthorized)
		return
	}
	g.next.ServeHTTP(w, r)
}
