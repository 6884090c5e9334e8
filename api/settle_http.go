package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// settleRoutes registers the settlement endpoints.
func (s *Server) settleRoutes(mux *http.ServeMux) {
	if s.svc.ProofService != nil {
		mux.HandleFunc("POST /v1/attest", postJSON(s.svc.Attest))
		mux.HandleFunc("GET /v1/proofs/{cid}/status", func(w http.ResponseWriter, r *http.Request) {
			v, err := s.svc.ProofStatus(r.Context(), r.PathValue("cid"))
			reply(w, v, err)
		})
	}
	if s.svc.DistrictService != nil {
		mux.HandleFunc("POST /v1/districts", postJSON(s.svc.CreateDistrict))
		mux.HandleFunc("GET /v1/district", func(w http.ResponseWriter, r *http.Request) {
			v, err := s.svc.District(r.Context(), r.URL.Query().Get("name"))
			reply(w, v, err)
		})
		mux.HandleFunc("POST /v1/roles", postJSON(s.svc.Grant))
	}
	if s.svc.SettleService == nil {
		return
	}
	mux.HandleFunc("POST /v1/receipts", postJSON(s.svc.Pay))
	mux.HandleFunc("GET /v1/receipts", getJSON(s.svc.Receipts))
	mux.HandleFunc("POST /v1/pledges", postJSON(s.svc.Pledge))
	mux.HandleFunc("GET /v1/pledges", func(w http.ResponseWriter, r *http.Request) {
		v, err := s.svc.Pledges(r.Context(), PledgeQuery{All: r.URL.Query().Get("all") == "true"})
		reply(w, v, err)
	})
	mux.HandleFunc("POST /v1/withdraws", postJSON(s.svc.Withdraw))
	mux.HandleFunc("GET /v1/balances", getJSON(s.svc.Balances))
	mux.HandleFunc("GET /v1/ledger", getJSON(s.svc.Ledger))
}

func postJSON[Req, Resp any](fn func(context.Context, Req) (Resp, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req Req
		if err := readJSON(r, &req); err != nil {
			writeError(w, err)
			return
		}
		v, err := fn(r.Context(), req)
		reply(w, v, err)
	}
}

func getJSON[Resp any](fn func(context.Context) (Resp, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r.Context())
		reply(w, v, err)
	}
}

func (c *Client) Attest(ctx context.Context, req AttestRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/attest", req, &v)
}

func (c *Client) ProofStatus(ctx context.Context, proof string) (v ProofStatus, err error) {
	if _, err := ParseCID(proof); err != nil {
		return v, err
	}
	return v, c.do(ctx, http.MethodGet, "/v1/proofs/"+proof+"/status", nil, "", &v)
}

func (c *Client) Pay(ctx context.Context, req PayRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/receipts", req, &v)
}

func (c *Client) Receipts(ctx context.Context) (v []Receipt, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/receipts", nil, "", &v)
}

func (c *Client) Pledge(ctx context.Context, req PledgeRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/pledges", req, &v)
}

func (c *Client) Pledges(ctx context.Context, q PledgeQuery) (v []PledgeRow, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/pledges?all="+strconv.FormatBool(q.All), nil, "", &v)
}

func (c *Client) Withdraw(ctx context.Context, req WithdrawRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/withdraws", req, &v)
}

func (c *Client) CreateDistrict(ctx context.Context, req DistrictRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/districts", req, &v)
}

func (c *Client) District(ctx context.Context, name string) (v DistrictInfo, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/district?name="+url.QueryEscape(name), nil, "", &v)
}

func (c *Client) Grant(ctx context.Context, req RoleRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/roles", req, &v)
}

func (c *Client) Balances(ctx context.Context) (v []Balance, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/balances", nil, "", &v)
}

func (c *Client) Ledger(ctx context.Context) (v Ledger, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/ledger", nil, "", &v)
}
