package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestEveryErrorIsJSON: every failed request is answered {"code","error"}
// as JSON: an unknown path (404), a method the path does not take (405,
// with Allow), a body over its limit, a refused token, a bad CID.
func TestEveryErrorIsJSON(t *testing.T) {
	l, _ := newLocal(t)
	addr := serve(t, l)
	for _, tc := range []struct {
		method, path, body string
		header             []string
		status             int
		code               string
	}{
		{"GET", "/v1/nope", "", auth(addr), 404, "not_found"},
		{"GET", "/", "", auth(addr), 404, "not_found"},
		{"DELETE", "/v1/ping", "", auth(addr), 405, "method_not_allowed"},
		{"GET", "/v1/connect", "", auth(addr), 405, "method_not_allowed"},
		{"POST", "/v1/connect", `{"addr":"` + strings.Repeat("a", maxJSON) + `"}`, auth(addr), 400, "bad_input"},
		{"GET", "/v1/blocks/nonsense", "", auth(addr), 400, "bad_input"},
		{"GET", "//v1/ping", "", auth(addr), 404, "not_found"},
		{"GET", "/v1/./ping", "", auth(addr), 404, "not_found"},
		{"POST", "/v1/x/../connect", `{}`, auth(addr), 404, "not_found"},
		{"GET", "/v1/ping", "", []string{"Host", "127.0.0.1:" + port(addr), "Authorization", "Bearer wrong"}, 401, "unauthorized"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, body := dial(t, addr).do(t, tc.method, tc.path, tc.body, tc.header...)
			var e Error
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "application/json" ||
				json.Unmarshal([]byte(body), &e) != nil || e.Code != tc.code || e.Message == "" {
				t.Fatalf("%d %s %q, want %d with {code: %s, error}", resp.StatusCode, resp.Header.Get("Content-Type"), body, tc.status, tc.code)
			}
			if tc.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
				t.Fatal("405 without Allow")
			}
		})
	}
}

// TestShutdownRoute: POST /v1/shutdown answers, then tells the daemon to
// stop through Stopping.
func TestShutdownRoute(t *testing.T) {
	l, _ := newLocal(t)
	s := serveWith(t, l, nil)
	if err := NewClient(s.addr, testToken).Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-s.srv.Stopping()
}
