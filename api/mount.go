package api

import (
	"context"
	"net/http"
	"strings"
)

// mounts are the routes other packages add to a Server before it serves:
// handlers behind the API's guard (metrics, the dashboard's login), and
// pages behind the guard's Host and Origin checks that admit requests by
// their own session instead of the bearer token.
type mounts struct {
	routes []mounted
	pages  []mounted
}

type mounted struct {
	pattern string
	h       http.Handler
}

// Mount serves h for pattern (a ServeMux pattern such as "GET /metrics")
// behind the API's Host, Origin and token checks, like every /v1 route.
// Call it before Serve.
func (s *Server) Mount(pattern string, h http.Handler) {
	s.extra.routes = append(s.extra.routes, mounted{pattern, h})
}

// MountPages serves h for every path under prefix (ending in "/") behind
// the API's Host, Origin and Sec-Fetch-Site checks but without the bearer
// token: h admits each request itself (the dashboard by its session
// cookie). Call it before Serve.
func (s *Server) MountPages(prefix string, h http.Handler) {
	s.extra.pages = append(s.extra.pages, mounted{prefix, h})
}

func (s *Server) mountRoutes(mux *http.ServeMux) {
	for _, m := range s.extra.routes {
		mux.Handle(m.pattern, m.h)
	}
}

// withPages sends requests under a page prefix to its handler, guarded
// without the token, and every other request to api.
func (s *Server) withPages(port string, api http.Handler) http.Handler {
	if len(s.extra.pages) == 0 {
		return api
	}
	pages := make([]mounted, len(s.extra.pages))
	for i, m := range s.extra.pages {
		g := newGuard(s.token, port, m.h)
		g.session = true
		pages[i] = mounted{m.pattern, s.bounded(g)}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range pages {
			if strings.HasPrefix(r.URL.Path, m.pattern) || r.URL.Path+"/" == m.pattern {
				m.h.ServeHTTP(w, r)
				return
			}
		}
		api.ServeHTTP(w, r)
	})
}

// Call sends a JSON request to path on the daemon (a route mounted with
// Mount, say) and decodes its JSON answer into out; in nil sends no body.
func (c *Client) Call(ctx context.Context, method, path string, in, out any) error {
	if in == nil {
		return c.do(ctx, method, path, nil, "", out)
	}
	return c.postJSON(ctx, path, in, out)
}
