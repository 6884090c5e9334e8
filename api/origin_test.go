package api

import "testing"

// TestOriginExact: the guard takes only an Origin that is exactly
// http:// and one of the API's loopback hosts, given once.
func TestOriginExact(t *testing.T) {
	f := newFixture(t)
	p := port(f.addr)
	cases := []struct {
		name    string
		origins []string
		want    int
	}{
		{"none", nil, 200},
		{"same", []string{"http://127.0.0.1:" + p}, 200},
		{"localhost", []string{"http://localhost:" + p}, 200},
		{"ipv6", []string{"http://[::1]:" + p}, 200},
		{"schemeless", []string{"127.0.0.1:" + p}, 403},
		{"https", []string{"https://127.0.0.1:" + p}, 403},
		{"path", []string{"http://127.0.0.1:" + p + "/"}, 403},
		{"user", []string{"http://x@127.0.0.1:" + p}, 403},
		{"other port", []string{"http://127.0.0.1:1"}, 403},
		{"empty", []string{""}, 403},
		{"doubled", []string{"http://127.0.0.1:" + p, "http://127.0.0.1:" + p}, 403},
		{"doubled foreign", []string{"http://127.0.0.1:" + p, "https://evil.example"}, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := auth(f.addr)
			for _, o := range c.origins {
				h = append(h, "Origin", o)
			}
			if resp, body := dial(t, f.addr).do(t, "GET", "/v1/id", "", h...); resp.StatusCode != c.want {
				t.Fatalf("%s %s, want %d", resp.Status, body, c.want)
			}
		})
	}
}
