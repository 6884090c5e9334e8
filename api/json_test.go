package api

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestReadJSONOneValue: a JSON body is exactly one value, with only
// whitespace after it, and at most maxJSON bytes.
func TestReadJSONOneValue(t *testing.T) {
	cases := []struct {
		name, body string
		ok         bool
	}{
		{"one", `{"addr":"x"}`, true},
		{"spaces after", "{\"addr\":\"x\"}\n \t\r\n", true},
		{"second value", `{"addr":"x"}{"addr":"y"}`, false},
		{"garbage after", `{"addr":"x"} garbage`, false},
		{"bracket after", `{"addr":"x"}]`, false},
		{"unknown field", `{"addr":"x","more":1}`, false},
		{"empty", ``, false},
		{"over the limit", `{"addr":"x"}` + strings.Repeat(" ", maxJSON), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var req ConnectRequest
			err := readJSON(httptest.NewRequest("POST", "/v1/connect", strings.NewReader(c.body)), &req)
			if (err == nil) != c.ok {
				t.Fatalf("err %v, want ok %v", err, c.ok)
			}
		})
	}
}

// TestExportWantOneValue: the export request, want file included, is
// refused with trailing data after it.
func TestExportWantOneValue(t *testing.T) {
	f := newFixture(t)
	for _, body := range []string{`{} {}`, `{} x`, `{"district":"a"}}`} {
		h := append(auth(f.addr), "Content-Type", "application/json")
		if resp, out := dial(t, f.addr).do(t, "POST", "/v1/bundles/export", body, h...); resp.StatusCode != 400 {
			t.Errorf("%q: %s %q", body, resp.Status, out)
		}
	}
}
