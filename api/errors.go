package api

import (
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/mesocosm/mycel/vault"
)

// Errors that Service methods return, directly or wrapped. Client maps
// the server's answers back onto them, so callers branch the same way
// whether or not a daemon is in between.
var (
	ErrBadInput     = errors.New("bad input")
	ErrNotFound     = errors.New("not found")
	ErrOffline      = errors.New("no daemon is running")
	ErrUnauthorized = errors.New("missing or wrong api token")
	ErrForbidden    = errors.New("request refused")
	ErrBusy         = errors.New("daemon busy")
	// ErrConflict: writing now could fork this peer's own log (a copy of
	// its home runs elsewhere, or its identity is flagged); see Conflict.
	ErrConflict = errors.New("own log conflict")
)

// Conflict marks err as ErrConflict, keeping its one-line message.
func Conflict(err error) error { return &wireError{msg: err.Error(), sentinel: ErrConflict} }

// codes maps sentinels to their wire code and HTTP status.
var codes = []struct {
	err    error
	code   string
	status int
}{
	{ErrBadInput, "bad_input", http.StatusBadRequest},
	{ErrNotFound, "not_found", http.StatusNotFound},
	{ErrOffline, "offline", http.StatusServiceUnavailable},
	{ErrUnauthorized, "unauthorized", http.StatusUnauthorized},
	{ErrForbidden, "forbidden", http.StatusForbidden},
	{ErrBusy, "busy", http.StatusServiceUnavailable},
	{ErrConflict, "conflict", http.StatusConflict},
	{vault.ErrDamaged, "damaged", http.StatusServiceUnavailable},
}

// Error is the JSON body of every failed request.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"error"`
}

func errorOf(err error) (Error, int) {
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return Error{Code: c.code, Message: err.Error()}, c.status
		}
	}
	return Error{Code: "internal", Message: err.Error()}, http.StatusInternalServerError
}

// Err turns a wire error back into a Go error wrapping its sentinel.
func (e Error) Err() error {
	for _, c := range codes {
		if c.code == e.Code {
			return &wireError{msg: e.Message, sentinel: c.err}
		}
	}
	return errors.New(e.Message)
}

type wireError struct {
	msg      string
	sentinel error
}

func (w *wireError) Error() string { return w.msg }
func (w *wireError) Unwrap() error { return w.sentinel }

// badInput, busy and notFound make errors that read as their message alone and
// wrap their sentinel.
func badInput(format string, args ...any) error {
	return &wireError{msg: fmt.Sprintf(format, args...), sentinel: ErrBadInput}
}

func busy(format string, args ...any) error {
	return &wireError{msg: fmt.Sprintf(format, args...), sentinel: ErrBusy}
}

func notFound(format string, args ...any) error {
	return &wireError{msg: fmt.Sprintf(format, args...), sentinel: ErrNotFound}
}

// errNoRoute: no route has the request's path, or none takes its method.
var errNoRoute = errors.New("no such route")

// routeErrors makes the mux's own answers JSON like every other: a path
// no route has is 404 not_found, a method the path does not take is 405
// method_not_allowed with its Allow header. net/http writes those as
// plain text otherwise.
func routeErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, clean := r.URL.Path, cleanPath(r.URL.Path); p != clean {
			// The mux would answer a redirect in HTML; a script wants the
			// route it meant named.
			writeAnswer(w, http.StatusNotFound, Error{Code: "not_found", Message: fmt.Sprintf("%s: %v; did you mean %s? (see docs/CLI.md, Local API)", p, errNoRoute, clean)})
			return
		}
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r) // which sets the path values h reads
			return
		}
		rec := &statusOnly{header: http.Header{}}
		h.ServeHTTP(rec, r) // the mux's 404 or 405, for its status and Allow
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		switch rec.status {
		case http.StatusMethodNotAllowed:
			writeAnswer(w, rec.status, Error{Code: "method_not_allowed", Message: fmt.Sprintf("%s does not take %s; it takes %s", r.URL.Path, r.Method, rec.header.Get("Allow"))})
		default:
			writeAnswer(w, http.StatusNotFound, Error{Code: "not_found", Message: fmt.Sprintf("%s: %v (see docs/CLI.md, Local API)", r.URL.Path, errNoRoute)})
		}
	})
}

// statusOnly records the status and header of an answer and drops its body.
type statusOnly struct {
	header http.Header
	status int
}

func (s *statusOnly) Header() http.Header         { return s.header }
func (s *statusOnly) Write(p []byte) (int, error) { return len(p), nil }
func (s *statusOnly) WriteHeader(code int)        { s.status = code }

// cleanPath is the path net/http's mux would redirect p to: no empty, "."
// or ".." elements, a trailing slash kept.
func cleanPath(p string) string {
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}
