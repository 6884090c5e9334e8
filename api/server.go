package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

const (
	// writeTimeout bounds each answer's write: every answer sets it
	// afresh before writing, a bundle export before each write.
	writeTimeout = time.Minute
	// maxHeader bounds a request's header bytes.
	maxHeader = 16 << 10
)

// Ping is the answer of GET /v1/ping, used to find a live daemon.
type Ping struct {
	Version string `json:"version"`
	PeerID  string `json:"peer_id"`
}

// Server serves a Service over HTTP on a loopback listener.
type Server struct {
	svc      parts // the parts of raw that Service names; nil parts are not served
	raw      PeerService
	token    string
	version  string
	lim      limits
	budget   *budget
	imports  running       // bundle imports in flight, which their clients may cancel
	stop     chan struct{} // closed by POST /v1/shutdown
	stopOnce sync.Once
	mu       sync.Mutex                                     // guards http and closed, which Serve and Shutdown may race for
	http     *http.Server                                   // set by Serve
	closed   bool                                           // Shutdown was called: Serve serves nothing
	doctor   func(ctx context.Context) (DoctorFacts, error) // see SetDoctor
	extra    mounts                                         // see Mount and MountPages
}

// NewServer returns a server for svc that admits requests bearing token.
// svc may implement only some parts of Service (and of the optional
// ArenaService, GovernService, GridService, MIPPublisher): the server
// serves the routes of the parts it implements, and answers 404 to the
// others.
func NewServer(svc PeerService, token, version string) *Server {
	return &Server{svc: partsOf(svc), raw: svc, token: token, version: version, lim: defaultLimits(), stop: make(chan struct{})}
}

// Serve answers requests on ln until Shutdown; it then returns nil. It
// holds at most limits.conns connections of ln at once. After Shutdown,
// Serve returns nil at once.
func (s *Server) Serve(ln net.Listener) error {
	_, port, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		return fmt.Errorf("api serve: %w", err)
	}
	capped := newConnCap(ln, s.lim.conns, s.lim.silent)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.http = &http.Server{
		Handler:           s.Handler(port),
		ReadHeaderTimeout: s.lim.header,
		IdleTimeout:       s.lim.idle,
		WriteTimeout:      writeTimeout,
		MaxHeaderBytes:    maxHeader,
		ConnState:         capped.track,
	}
	h := s.http
	s.mu.Unlock()
	if err := h.Serve(capped); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("api serve: %w", err)
	}
	return nil
}

// Shutdown stops the server, waiting for requests in flight until ctx
// ends. Called before Serve, it makes Serve return at once.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	h := s.http
	s.closed = true
	s.mu.Unlock()
	if h == nil {
		return nil
	}
	return h.Shutdown(ctx)
}

// Handler returns the guarded routes for an API listening on port.
func (s *Server) Handler(port string) http.Handler {
	s.budget = newBudget(s.lim.budget)
	evidence := uploadRule{body: bodyRule{whole: s.lim.evidenceBody}, max: MaxEvidenceSize}
	want := uploadRule{body: bodyRule{whole: s.lim.jsonBody}, max: maxWant}
	stream := uploadRule{body: bodyRule{grace: s.lim.streamGrace, rate: s.lim.streamRate}, hold: importHold}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/ping", s.ping)
	mux.HandleFunc("POST /v1/shutdown", s.shutdown)
	mux.HandleFunc("GET /v1/id", s.identity)
	mux.HandleFunc("GET /v1/status", s.status)
	mux.HandleFunc("POST /v1/connect", s.connect)
	mux.HandleFunc("POST /v1/forget", s.forget)
	if s.svc.EvidenceService != nil {
		mux.HandleFunc("POST /v1/evidence", s.upload(evidence, s.addEvidence))
		mux.HandleFunc("GET /v1/evidence", s.listEvidence)
	}
	if s.svc.ProofService != nil {
		mux.HandleFunc("POST /v1/proofs", s.publish)
		mux.HandleFunc("GET /v1/proofs", s.proofs)
		mux.HandleFunc("GET /v1/mips", s.mips)
		mux.HandleFunc("GET /v1/mips/{ref}", s.mip)
	}
	if s.svc.EntryService != nil {
		mux.HandleFunc("GET /v1/log", s.log)
		mux.HandleFunc("GET /v1/blocks/{cid}", s.block)
	}
	if s.svc.BundleService != nil {
		mux.HandleFunc("GET /v1/bundles/want", s.wantBundle)
		mux.HandleFunc("POST /v1/bundles/export", s.upload(want, s.exportBundle))
		mux.HandleFunc("POST /v1/bundles/import", s.upload(stream, s.importBundle))
		mux.HandleFunc("POST /v1/bundles/import/cancel", s.cancelImport)
	}
	mux.HandleFunc("GET /v1/backup", s.backup)
	mux.HandleFunc("GET /v1/doctor", s.doctorFacts)
	mux.HandleFunc("POST /v1/backup/done", s.backupDone)
	s.settleRoutes(mux)
	s.gridRoutes(mux)
	s.arenaRoutes(mux)
	s.governRoutes(mux)
	if p, ok := s.raw.(MIPPublisher); ok {
		mux.HandleFunc("POST /v1/mips", postJSON(p.PublishMIP))
	}
	s.mountRoutes(mux)
	return s.withPages(port, s.bounded(newGuard(s.token, port, routeErrors(mux))))
}

func writeJSON(w http.ResponseWriter, v any) { writeAnswer(w, http.StatusOK, v) }

func writeError(w http.ResponseWriter, err error) {
	body, status := errorOf(err)
	writeAnswer(w, status, body)
}

// writeAnswer encodes v whole before sending a byte: a value that cannot
// be encoded answers a 500 error, never a 200 with a cut body.
func writeAnswer(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		data, _ = json.Marshal(Error{Code: "internal", Message: "encode answer: " + err.Error()})
	}
	data = append(data, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	writeBy(w)
	w.WriteHeader(status)
	w.Write(data)
}

// writeBy gives the answer's next write writeTimeout from now.
func writeBy(w http.ResponseWriter) {
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(writeTimeout))
}

// reply writes v, or the error.
func reply[T any](w http.ResponseWriter, v T, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, v)
}
