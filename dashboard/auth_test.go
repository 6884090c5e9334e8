package dashboard

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// login runs the one-time login and returns the session cookie and the
// session's CSRF token.
func login(t *testing.T, d *Dashboard) (*http.Cookie, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	d.Login().ServeHTTP(rec, httptest.NewRequest("POST", LoginRoute, nil))
	var u LoginURL
	if err := json.Unmarshal(rec.Body.Bytes(), &u); err != nil {
		t.Fatal(err)
	}
	parsed, _ := url.Parse(u.URL)
	rec = httptest.NewRecorder()
	d.Pages().ServeHTTP(rec, httptest.NewRequest("GET", parsed.RequestURI(), nil))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.Name == cookieName {
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("cookie %+v is not HttpOnly and SameSite=Strict", c)
			}
			s, _ := d.sessions.get(c.Value)
			return c, s.csrf
		}
	}
	t.Fatal("login set no session cookie")
	return nil, ""
}

// TestRefused: what is refused before the peer is asked anything (the
// Source is nil: a call would panic).
func TestRefused(t *testing.T) {
	d := New(nil, Options{})
	defer d.Close()
	cookie, csrf := login(t, d)
	post := func(tok string) *http.Request {
		r := httptest.NewRequest("POST", Prefix+"pay", strings.NewReader(url.Values{"csrf": {tok}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	for _, c := range []struct {
		name   string
		req    *http.Request
		cookie *http.Cookie
		want   int
	}{
		{"page without session", httptest.NewRequest("GET", Prefix, nil), nil, http.StatusUnauthorized},
		{"stream without session", httptest.NewRequest("GET", Prefix+"feed/events", nil), nil, http.StatusUnauthorized},
		{"static without session", httptest.NewRequest("GET", Prefix+"static/app.js", nil), nil, http.StatusUnauthorized},
		{"unknown session", httptest.NewRequest("GET", Prefix, nil), &http.Cookie{Name: cookieName, Value: "forged"}, http.StatusUnauthorized},
		{"post without session", post(csrf), nil, http.StatusUnauthorized},
		{"post with a bad CSRF token", post("x" + csrf), cookie, http.StatusForbidden},
		{"post without a CSRF token", post(""), cookie, http.StatusForbidden},
		{"spent login", httptest.NewRequest("GET", Prefix+"login?t=nope", nil), nil, http.StatusUnauthorized},
	} {
		if c.cookie != nil {
			c.req.AddCookie(c.cookie)
		}
		rec := httptest.NewRecorder()
		d.Pages().ServeHTTP(rec, c.req)
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, rec.Code, c.want)
		}
	}
	// With the session, the static files are served.
	r := httptest.NewRequest("GET", Prefix+"static/app.js", nil)
	r.AddCookie(cookie)
	rec := httptest.NewRecorder()
	d.Pages().ServeHTTP(rec, r)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "EventSource") {
		t.Fatalf("app.js with a session: %d", rec.Code)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
}
