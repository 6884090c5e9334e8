package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// maxJSON bounds a JSON request body.
const maxJSON = 1 << 20

// Ping is the answer of GET /v1/ping, used to find a live daemon.
type Ping struct {
	Version string `json:"version"`
	PeerID  string `json:"peer_id"`
}

// Server serves a Service over HTTP on a loopback listener.
type Server struct {
	svc     Service
	token   string
	version string
	http    *http.Server
}

// NewServer returns a server for svc that admits requests bearing token.
func NewServer(svc Service, token, version string) *Server {
	return &Server{svc: svc, token: token, version: version}
}

// Serve answers requests on ln until Shutdown; it then returns nil.
func (s *Server) Serve(ln net.Listener) error {
	_, port, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		return fmt.Errorf("api serve: %w", err)
	}
	s.http = &http.Server{Handler: s.Handler(port), ReadHeaderTimeout: 10 * time.Second}
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("api serve: %w", err)
	}
	return nil
}

// Shutdown stops the server, waiting for requests in flight until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.http == nil {
		return nil
	}
	return s.http.Shutdown(ctx)
}

// Handler returns the guarded routes for an API listening on port.
func (s *Server) Handler(port string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/ping", s.ping)
	mux.HandleFunc("GET /v1/id", s.identity)
	mux.HandleFunc("GET /v1/status", s.status)
	mux.HandleFunc("POST /v1/connect", s.connect)
	mux.HandleFunc("POST /v1/evidence", s.addEvidence)
	mux.HandleFunc("GET /v1/evidence", s.listEvidence)
	mux.HandleFunc("POST /v1/proofs", s.publish)
	mux.HandleFunc("GET /v1/proofs", s.proofs)
	mux.HandleFunc("GET /v1/log", s.log)
	mux.HandleFunc("GET /v1/blocks/{cid}", s.block)
	mux.HandleFunc("GET /v1/mips", s.mips)
	mux.HandleFunc("GET /v1/mips/{ref}", s.mip)
	mux.HandleFunc("GET /v1/bundles/want", s.wantBundle)
	mux.HandleFunc("POST /v1/bundles/export", s.exportBundle)
	mux.HandleFunc("POST /v1/bundles/import", s.importBundle)
	s.settleRoutes(mux)
	return newGuard(s.token, port, mux)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	body, status := errorOf(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// reply writes v, or the error.
func reply[T any](w http.ResponseWriter, v T, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, v)
}

func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badInput("request body: %v", err)
	}
	return nil
}
