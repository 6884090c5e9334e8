package api

import (
	"errors"
	"net/http"
	"testing"
)

func TestListenRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", ":0", "example.com:80", "nonsense"} {
		if _, err := Listen(addr); !errors.Is(err, ErrBadInput) {
			t.Errorf("%s: %v", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0"} {
		if err := CheckLoopback(addr); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
}

func TestGuard(t *testing.T) {
	f := newFixture(t)
	p := port(f.addr)
	cases := []struct {
		name   string
		host   string
		header map[string]string
		want   int
	}{
		{"ok", "127.0.0.1:" + p, map[string]string{"Authorization": "Bearer " + testToken}, 200},
		{"localhost ok", "localhost:" + p, map[string]string{"Authorization": "Bearer " + testToken}, 200},
		{"same origin ok", "127.0.0.1:" + p, map[string]string{"Authorization": "Bearer " + testToken, "Origin": "http://127.0.0.1:" + p}, 200},
		{"no token", "127.0.0.1:" + p, nil, 401},
		{"wrong token", "127.0.0.1:" + p, map[string]string{"Authorization": "Bearer nope"}, 401},
		{"not bearer", "127.0.0.1:" + p, map[string]string{"Authorization": testToken}, 401},
		{"rebinding host", "evil.example:" + p, map[string]string{"Authorization": "Bearer " + testToken}, 403},
		{"other port", "127.0.0.1:1", map[string]string{"Authorization": "Bearer " + testToken}, 403},
		{"cross origin", "127.0.0.1:" + p, map[string]string{"Authorization": "Bearer " + testToken, "Origin": "https://evil.example"}, 403},
		{"null origin", "127.0.0.1:" + p, map[string]string{"Authorization": "Bearer " + testToken, "Origin": "null"}, 403},
		{"cross site fetch", "127.0.0.1:" + p, map[string]string{"Authorization": "Bearer " + testToken, "Sec-Fetch-Site": "cross-site"}, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", "http://"+f.addr+"/v1/id", nil)
			req.Host = c.host
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.want)
			}
		})
	}
}

func TestClientWrongToken(t *testing.T) {
	f := newFixture(t)
	_, err := NewClient(f.addr, "wrong").Ping(t.Context())
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("got %v", err)
	}
}
