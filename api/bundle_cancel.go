package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/mesocosm/mycel/bundle"
)

// ErrInterrupted: a long request stopped because its context ended (the
// caller pressed Ctrl-C, or the client went away). What was stored whole
// before it stays stored.
var ErrInterrupted = errors.New("interrupted")

// ctxReader fails every read once ctx has ended, so that a bundle import
// stops at the next block it reads: the blocks read whole before are
// stored, the one being read is dropped. cut records that it did so, as
// against a read that failed on its own (and may have ended ctx, as
// net/http does on a connection's read error).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
	cut bool
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		c.cut = true
		return 0, err
	}
	return c.r.Read(p)
}

// ctxWriter fails every write once ctx has ended, so that an export
// stops at its next write.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// interrupted turns the report of an import cut by ctx into an error that
// says how much was done: the report is kept, Damaged (the cut read) is
// cleared.
func interrupted(rep *bundle.Report) error {
	rep.Damaged = ""
	return fmt.Errorf("%w: %d new entries stored", ErrInterrupted, rep.New)
}

// An import's client names it with importParam, a random id, so that it
// can stop it: a client that goes away does not stop the daemon's reads
// at once, as the kernel still holds the bytes it sent (megabytes on
// loopback), and net/http tells a handler of the close only when those
// are read. The client asks POST /v1/bundles/import/cancel instead.
const (
	importParam = "id"
	maxImportID = 64
	// cancelWait bounds how long a client that was interrupted waits for
	// the daemon to take its cancel before giving up.
	cancelWait = 500 * time.Millisecond
)

// CancelRequest is the body of POST /v1/bundles/import/cancel.
type CancelRequest struct {
	ID string `json:"id"`
}

// Canceled is its answer: false when no import with that id runs.
type Canceled struct {
	Canceled bool `json:"canceled"`
}

// running holds the cancel functions of the imports in flight, by id.
type running struct {
	mu   sync.Mutex
	byID map[string]context.CancelFunc
}

// start registers an import under id, if id is one; its context ends
// when ctx does or on cancel; done unregisters it.
func (rs *running) start(ctx context.Context, id string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	if id == "" || len(id) > maxImportID {
		return ctx, cancel
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.byID == nil {
		rs.byID = map[string]context.CancelFunc{}
	}
	if _, dup := rs.byID[id]; dup {
		return ctx, cancel
	}
	rs.byID[id] = cancel
	return ctx, func() {
		rs.mu.Lock()
		delete(rs.byID, id)
		rs.mu.Unlock()
		cancel()
	}
}

func (rs *running) cancel(id string) bool {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	c, ok := rs.byID[id]
	if ok {
		c()
	}
	return ok
}

func (s *Server) cancelImport(w http.ResponseWriter, r *http.Request) {
	var req CancelRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, Canceled{Canceled: s.imports.cancel(req.ID)})
}

// importID is a new random import id.
func importID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// cancelOnEnd returns a context for an import request named id; when ctx
// ends before stop, the daemon is asked to cancel the import, and stop
// waits up to cancelWait for it to have been asked.
func (c *Client) cancelOnEnd(ctx context.Context, id string) (context.Context, func()) {
	asked := make(chan struct{})
	unhook := context.AfterFunc(ctx, func() {
		defer close(asked)
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelWait)
		defer cancel()
		var v Canceled
		c.postJSON(cctx, "/v1/bundles/import/cancel", CancelRequest{ID: id}, &v)
	})
	return ctx, func() {
		if !unhook() {
			<-asked
		}
	}
}
