package api

import (
	"context"
	"net/http"
	"net/url"
)

// ArenaService is the control API's arena part: Local and Client
// implement it.
type ArenaService interface {
	PostProblem(ctx context.Context, req ProblemRequest) (Written, error)
	Problems(ctx context.Context, q ProblemQuery) ([]ProblemRow, error)
	Problem(ctx context.Context, cid string) (ProblemRow, error)
	Solve(ctx context.Context, req SolveRequest) (Written, error)
	Accept(ctx context.Context, req AcceptRequest) (Written, error)
	Agency(ctx context.Context, peer string) (AgencyRow, error)
}

var (
	_ ArenaService = (*Local)(nil)
	_ ArenaService = (*Client)(nil)
)

func (s *Server) arenaRoutes(mux *http.ServeMux) {
	a, ok := s.raw.(ArenaService)
	if !ok {
		return
	}
	mux.HandleFunc("POST /v1/problems", postJSON(a.PostProblem))
	mux.HandleFunc("GET /v1/problems", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		v, err := a.Problems(r.Context(), ProblemQuery{District: q.Get("district"), MIP: q.Get("mip"), Open: q.Get("open") == "true"})
		reply(w, v, err)
	})
	mux.HandleFunc("GET /v1/problems/{cid}", func(w http.ResponseWriter, r *http.Request) {
		v, err := a.Problem(r.Context(), r.PathValue("cid"))
		reply(w, v, err)
	})
	mux.HandleFunc("POST /v1/solutions", postJSON(a.Solve))
	mux.HandleFunc("POST /v1/accepts", postJSON(a.Accept))
	mux.HandleFunc("GET /v1/agency", func(w http.ResponseWriter, r *http.Request) {
		v, err := a.Agency(r.Context(), r.URL.Query().Get("peer"))
		reply(w, v, err)
	})
}

func (c *Client) PostProblem(ctx context.Context, req ProblemRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/problems", req, &v)
}

func (c *Client) Problems(ctx context.Context, q ProblemQuery) (v []ProblemRow, err error) {
	vals := url.Values{}
	for k, s := range map[string]string{"district": q.District, "mip": q.MIP} {
		if s != "" {
			vals.Set(k, s)
		}
	}
	if q.Open {
		vals.Set("open", "true")
	}
	return v, c.do(ctx, http.MethodGet, "/v1/problems?"+vals.Encode(), nil, "", &v)
}

func (c *Client) Problem(ctx context.Context, cid string) (v ProblemRow, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/problems/"+url.PathEscape(cid), nil, "", &v)
}

func (c *Client) Solve(ctx context.Context, req SolveRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/solutions", req, &v)
}

func (c *Client) Accept(ctx context.Context, req AcceptRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/accepts", req, &v)
}

func (c *Client) Agency(ctx context.Context, peer string) (v AgencyRow, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/agency?peer="+url.QueryEscape(peer), nil, "", &v)
}
