package api

import (
	"context"
	"io"
	"net/http"
	"testing"
)

// TestMount: a mounted route needs the token like every other; a mounted
// page needs no token but keeps the Host, Origin and fetch-site checks.
func TestMount(t *testing.T) {
	l, _ := newLocal(t)
	srv := NewServer(l, testToken, "test")
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "mounted") })
	srv.Mount("GET /metrics", ok)
	srv.MountPages("/pages/", ok)
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() { srv.Shutdown(context.Background()); <-done })
	addr := ln.Addr().String()
	for _, c := range []struct {
		name   string
		path   string
		header []string
		want   int
	}{
		{"route with token", "/metrics", []string{"Authorization", "Bearer " + testToken}, 200},
		{"route without token", "/metrics", nil, 401},
		{"page without token", "/pages/x", nil, 200},
		{"page root", "/pages", nil, 200},
		{"page, own origin", "/pages/x", []string{"Origin", "http://" + addr}, 200},
		{"page, foreign origin", "/pages/x", []string{"Origin", "http://evil.example"}, 403},
		{"page, cross-site fetch", "/pages/x", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"page, foreign host", "/pages/x", []string{"Host", "evil.example:80"}, 403},
		{"api without token", "/v1/id", nil, 401},
	} {
		req, _ := http.NewRequest("GET", "http://"+addr+c.path, nil)
		for i := 0; i < len(c.header); i += 2 {
			if c.header[i] == "Host" {
				req.Host = c.header[i+1]
				continue
			}
			req.Header.Set(c.header[i], c.header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.name, resp.StatusCode, c.want)
		}
	}
}
