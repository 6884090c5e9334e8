package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// maxJSON bounds a JSON request body.
const maxJSON = 1 << 20

// bodyRule bounds how long a request body may take to arrive. Only time
// spent waiting for the client's bytes counts: the server's own work
// between reads (checking a bundle's entries) does not.
type bodyRule struct {
	whole time.Duration // the whole body within this of the first read; 0: no bound
	grace time.Duration // waiting allowed before the rate counts; 0: no rate
	rate  int64         // then bytes per second of waiting, on average
}

// deadlineBody enforces a bodyRule with read deadlines on the
// connection, and lifts them once the body is read to its end, so that
// the server's background read cannot time out and end a handler still
// working. A body past its time keeps failing, and the server then
// closes the connection after its answer.
type deadlineBody struct {
	io.ReadCloser
	rc     *http.ResponseController
	rule   bodyRule
	first  time.Time
	waited time.Duration
	got    int64
	done   bool
}

// errSlowBody is what a read past a body's deadline gives the handler.
var errSlowBody = errors.New("the request body arrived too slowly")

func (b *deadlineBody) Read(p []byte) (int, error) {
	if b.done {
		return b.ReadCloser.Read(p)
	}
	now := time.Now()
	if b.first.IsZero() {
		b.first = now
	}
	dl, ok := b.deadline(now)
	if !ok {
		return 0, errSlowBody
	}
	b.rc.SetReadDeadline(dl)
	n, err := b.ReadCloser.Read(p)
	b.waited += time.Since(now)
	b.got += int64(n)
	switch {
	case err == io.EOF:
		b.done = true
		b.rc.SetReadDeadline(time.Time{})
	case errors.Is(err, os.ErrDeadlineExceeded):
		err = errSlowBody
	}
	return n, err
}

// deadline is when the read now starting must end; false when the body
// has already used its time.
func (b *deadlineBody) deadline(now time.Time) (time.Time, bool) {
	var dl time.Time
	if b.rule.whole > 0 {
		dl = b.first.Add(b.rule.whole)
	}
	if b.rule.rate > 0 {
		allowed := b.rule.grace + time.Duration(b.got*int64(time.Second)/b.rule.rate) - b.waited
		if r := now.Add(allowed); dl.IsZero() || r.Before(dl) {
			dl = r
		}
	}
	return dl, dl.IsZero() || dl.After(now)
}

// bounded gives every request body the rule for JSON bodies; routes
// with other bodies change it with setRule. Until a handler reads the
// body, the connection may wait that long for it; once the handler is
// done, a body it did not read to the end gets no more time, so that
// net/http's drain of the rest (a refused request's, or one a route
// ignores) cannot hold the connection.
func (s *Server) bounded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		b := &deadlineBody{ReadCloser: r.Body, rc: rc, rule: bodyRule{whole: s.lim.jsonBody}}
		r.Body = b
		rc.SetReadDeadline(time.Now().Add(s.lim.jsonBody))
		next.ServeHTTP(w, r)
		if !b.done {
			rc.SetReadDeadline(time.Now())
		}
	})
}

func setRule(r *http.Request, rule bodyRule) {
	if b, ok := r.Body.(*deadlineBody); ok {
		b.rule = rule
	}
}

func readJSON(r *http.Request, v any) error { return decodeOne(r.Body, maxJSON, v) }

// decodeOne decodes exactly one JSON value of at most limit bytes from
// body, refusing unknown fields and anything but whitespace after it.
func decodeOne(body io.Reader, limit int64, v any) error {
	lr := &io.LimitedReader{R: body, N: limit + 1}
	data, err := io.ReadAll(lr)
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		err = dec.Decode(v)
		if err == nil {
			if _, end := dec.Token(); end != io.EOF {
				err = fmt.Errorf("data after the JSON value")
			}
		}
		if err == nil {
			err = twice(data)
		}
	}
	switch {
	case lr.N <= 0:
		return badInput("request body is over %d bytes", limit)
	case errors.Is(err, errSlowBody):
		return badInput("%v", errSlowBody)
	case err != nil:
		return badInput("request body: %s", jsonWords(err))
	}
	return nil
}
