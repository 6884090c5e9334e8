package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/mesocosm/mycel/bundle"
)

// Bundle routes and wire details.
const (
	// CARType is the media type of a bundle.
	CARType = "application/vnd.ipld.car"
	// StatsTrailer is the HTTP trailer that carries an export's
	// bundle.Stats as JSON once the whole CAR is sent; a response
	// without it was cut short.
	StatsTrailer = "Mycel-Bundle-Stats"
	// maxWant bounds an export request body, want file included.
	maxWant = 64 << 20
)

func (s *Server) wantBundle(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.WantBundle(r.Context())
	reply(w, v, err)
}

// exportBundle streams the CAR. An empty selection answers 204 No
// Content; a failure after the first byte aborts the connection, so the
// client never takes a cut file for a whole one.
func (s *Server) exportBundle(w http.ResponseWriter, r *http.Request) {
	var req ExportRequest
	if err := decodeOne(r.Body, maxWant, &req); err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Trailer", StatsTrailer)
	lw := &lazyWriter{w: w, rc: http.NewResponseController(w)}
	lw.rc.SetWriteDeadline(time.Time{}) // selecting is the daemon's work; each write has its own deadline
	st, err := s.svc.ExportBundle(r.Context(), lw, req)
	switch {
	case err != nil && lw.started:
		panic(http.ErrAbortHandler)
	case errors.Is(err, bundle.ErrNothing):
		writeBy(w)
		w.WriteHeader(http.StatusNoContent)
	case err != nil:
		w.Header().Del("Trailer")
		writeError(w, err)
	default:
		stats, _ := json.Marshal(st)
		w.Header().Set(StatsTrailer, string(stats))
	}
}

// lazyWriter sends the CAR headers with the first byte, and gives each
// write writeTimeout: a client that stops reading is cut off, one that
// reads a long bundle slowly is not.
type lazyWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
	ctype   string // default CARType
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		ct := l.ctype
		if ct == "" {
			ct = CARType
		}
		l.w.Header().Set("Content-Type", ct)
		l.w.WriteHeader(http.StatusOK)
	}
	l.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	return l.w.Write(p)
}

// importBundle runs an import that its client can cancel by the id it
// gave (POST /v1/bundles/import/cancel).
func (s *Server) importBundle(w http.ResponseWriter, r *http.Request) {
	ctx, done := s.imports.start(r.Context(), r.URL.Query().Get(importParam))
	defer done()
	v, err := s.svc.ImportBundle(ctx, r.Body)
	reply(w, v, err)
}

func (c *Client) WantBundle(ctx context.Context) (v bundle.Want, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/bundles/want", nil, "", &v)
}

// ExportBundle copies the daemon's bundle to w. It returns
// bundle.ErrNothing for an empty selection, and an error when the stream
// ends without the stats trailer (w then holds a partial file).
func (c *Client) ExportBundle(ctx context.Context, w io.Writer, req ExportRequest) (bundle.Stats, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return bundle.Stats{}, err
	}
	resp, err := c.send(ctx, http.MethodPost, "/v1/bundles/export", bytes.NewReader(body), "application/json")
	if err != nil {
		return bundle.Stats{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return bundle.Stats{}, bundle.ErrNothing
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return bundle.Stats{}, fmt.Errorf("bundle export: %w", err)
	}
	var st bundle.Stats
	if err := json.Unmarshal([]byte(resp.Trailer.Get(StatsTrailer)), &st); err != nil {
		return bundle.Stats{}, errors.New("bundle export: the daemon's stream ended early")
	}
	return st, nil
}

// ImportBundle streams r to the daemon. When ctx ends first, it asks
// the daemon to cancel the import before returning (see
// Server.cancelImport): the daemon stops within a block and keeps what it
// stored whole.
func (c *Client) ImportBundle(ctx context.Context, r io.Reader) (v bundle.Report, err error) {
	id := importID()
	ctx, stop := c.cancelOnEnd(ctx, id)
	defer stop()
	return v, c.do(ctx, http.MethodPost, "/v1/bundles/import?"+importParam+"="+id, r, CARType, &v)
}
