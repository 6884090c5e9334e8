package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// GridService is the control API's OpenGrid part: Local and Client
// implement it.
type GridService interface {
	GridOffer(ctx context.Context, req GridOfferRequest) (Written, error)
	GridOffers(ctx context.Context, district string) ([]GridOfferRow, error)
	GridRun(ctx context.Context, req GridRunRequest, progress func(string)) (GridRunResult, error)
	GridJobs(ctx context.Context) ([]GridRunResult, error)
	GridJob(ctx context.Context, job string) (GridRunResult, error)
}

var (
	_ GridService = (*Local)(nil)
	_ GridService = (*Client)(nil)
)

// MaxGridRunBody bounds the body of POST /v1/grid/run: a module and an
// input at the grid's limits, base64 in JSON.
const MaxGridRunBody = 28 << 20

// gridLine is one line of the answer of POST /v1/grid/run: progress as
// it comes, then the result or the error.
type gridLine struct {
	Progress string         `json:"progress,omitempty"`
	Result   *GridRunResult `json:"result,omitempty"`
	Error    *Error         `json:"error,omitempty"`
}

func (s *Server) gridRoutes(mux *http.ServeMux) {
	g, ok := s.raw.(GridService)
	if !ok {
		return
	}
	mux.HandleFunc("POST /v1/grid/offer", postJSON(g.GridOffer))
	mux.HandleFunc("GET /v1/grid/offers", func(w http.ResponseWriter, r *http.Request) {
		v, err := g.GridOffers(r.Context(), r.URL.Query().Get("district"))
		reply(w, v, err)
	})
	mux.HandleFunc("GET /v1/grid/jobs", getJSON(g.GridJobs))
	mux.HandleFunc("GET /v1/grid/jobs/{cid}", func(w http.ResponseWriter, r *http.Request) {
		v, err := g.GridJob(r.Context(), r.PathValue("cid"))
		reply(w, v, err)
	})
	run := uploadRule{body: bodyRule{whole: s.lim.evidenceBody}, max: MaxGridRunBody}
	mux.HandleFunc("POST /v1/grid/run", s.upload(run, func(w http.ResponseWriter, r *http.Request) {
		var req GridRunRequest
		if err := decodeOne(r.Body, MaxGridRunBody, &req); err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		rc := http.NewResponseController(w)
		enc := json.NewEncoder(w)
		line := func(l gridLine) {
			writeBy(w)
			_ = enc.Encode(l)
			_ = rc.Flush()
		}
		res, err := g.GridRun(r.Context(), req, func(p string) { line(gridLine{Progress: p}) })
		if err != nil {
			e, _ := errorOf(err)
			line(gridLine{Error: &e})
			return
		}
		line(gridLine{Result: &res})
	}))
}

func (c *Client) GridOffer(ctx context.Context, req GridOfferRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/grid/offer", req, &v)
}

func (c *Client) GridOffers(ctx context.Context, district string) (v []GridOfferRow, err error) {
	path := "/v1/grid/offers"
	if district != "" {
		path += "?district=" + url.QueryEscape(district)
	}
	return v, c.do(ctx, http.MethodGet, path, nil, "", &v)
}

func (c *Client) GridJobs(ctx context.Context) (v []GridRunResult, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/grid/jobs", nil, "", &v)
}

func (c *Client) GridJob(ctx context.Context, job string) (v GridRunResult, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/grid/jobs/"+url.PathEscape(job), nil, "", &v)
}

// GridRun posts the job and reads the answer's lines, telling progress
// as the daemon sends it.
func (c *Client) GridRun(ctx context.Context, req GridRunRequest, progress func(string)) (GridRunResult, error) {
	data, err := json.Marshal(req)
	if err != nil {
		return GridRunResult{}, err
	}
	resp, err := c.send(ctx, http.MethodPost, "/v1/grid/run", strings.NewReader(string(data)), "application/json")
	if err != nil {
		return GridRunResult{}, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 2*MaxGridRunBody)
	for sc.Scan() {
		var l gridLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return GridRunResult{}, fmt.Errorf("api /v1/grid/run: bad answer: %w", err)
		}
		switch {
		case l.Error != nil:
			return GridRunResult{}, l.Error.Err()
		case l.Result != nil:
			return *l.Result, nil
		case progress != nil:
			progress(l.Progress)
		}
	}
	if err := sc.Err(); err != nil {
		return GridRunResult{}, fmt.Errorf("api /v1/grid/run: %w", err)
	}
	return GridRunResult{}, fmt.Errorf("api /v1/grid/run: the answer ended without a result")
}
