package dashboard

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Prefix is the path under which the pages are served; LoginRoute is the
// API route (behind the token) that mints a one-time login URL.
const (
	Prefix     = "/dashboard/"
	LoginRoute = "/v1/dashboard/login"
	cookieName = "mycel_session"
)

// Options configure a Dashboard; the zero value works.
type Options struct {
	// Districts are the districts this peer follows, for the overview.
	Districts []string
	// Notify, when set, subscribes to a signal raised whenever the peer
	// stores an entry: the live feed refreshes on it at once rather than
	// at its next tick. The returned func ends the subscription and
	// closes the channel.
	Notify func(buffer int) (<-chan struct{}, func())
	// Tick is how often the live feed looks again without a signal
	// (default 5s).
	Tick time.Duration
}

// Dashboard serves the pages. Close ends the live feeds.
type Dashboard struct {
	src      Source
	opt      Options
	sessions *sessions
	pages    pages
	done     chan struct{}
	once     sync.Once
}

// New returns a dashboard reading and writing through src.
func New(src Source, opt Options) *Dashboard {
	if opt.Tick <= 0 {
		opt.Tick = 5 * time.Second
	}
	return &Dashboard{src: src, opt: opt, sessions: newSessions(), pages: parsePages(), done: make(chan struct{})}
}

// Close ends the live feeds' streams, so that a server shutdown need not
// wait for them; safe to call twice.
func (d *Dashboard) Close() { d.once.Do(func() { close(d.done) }) }

// LoginURL is the answer of POST LoginRoute.
type LoginURL struct {
	URL string `json:"url"`
}

// Login answers POST LoginRoute with a one-time login URL on the host the
// request named (one of the API's loopback addresses: the API's guard
// checked it).
func (d *Dashboard) Login() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := LoginURL{URL: "http://" + r.Host + Prefix + "login?t=" + d.sessions.newLogin()}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(u)
	})
}

// Pages returns the handler of every path under Prefix. Every page but
// the login needs a session; every POST its CSRF token.
func (d *Dashboard) Pages() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Prefix+"login", d.login)
	mux.Handle("GET "+Prefix+"static/", d.authed(staticFiles()))
	d.route(mux, "GET "+Prefix+"{$}", d.overview)
	d.route(mux, "GET "+Prefix+"feed", d.feed)
	d.route(mux, "GET "+Prefix+"feed/events", d.feedEvents)
	d.route(mux, "GET "+Prefix+"proof/{cid}", d.proof)
	d.route(mux, "GET "+Prefix+"ledger", d.ledger)
	d.route(mux, "GET "+Prefix+"mesh", d.mesh)
	d.route(mux, "GET "+Prefix+"actions", d.actions)
	d.route(mux, "GET "+Prefix+"publish", d.publishForm)
	d.route(mux, "POST "+Prefix+"publish", d.publish)
	d.route(mux, "POST "+Prefix+"attest", d.attest)
	d.route(mux, "POST "+Prefix+"pay", d.pay)
	d.route(mux, "POST "+Prefix+"pledge", d.pledge)
	return secureHeaders(mux)
}

// handler is a page handler given its request's session.
type handler func(w http.ResponseWriter, r *http.Request, s session)

func (d *Dashboard) route(mux *http.ServeMux, pattern string, h handler) {
	mux.Handle(pattern, d.authed(h))
}

// authed admits a request with a live session and, for a POST, the
// session's CSRF token in the form field "csrf" or the header
// X-CSRF-Token; it refuses the rest.
func (d *Dashboard) authed(next any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(cookieName)
		var s session
		ok := err == nil
		if ok {
			s, ok = d.sessions.get(c.Value)
		}
		if !ok {
			refuse(w, http.StatusUnauthorized, "no dashboard session: open the URL that `mycel dashboard` prints")
			return
		}
		if r.Method == http.MethodPost && !s.validCSRF(csrfOf(r)) {
			refuse(w, http.StatusForbidden, "bad or missing CSRF token: reload the page and send the form again")
			return
		}
		switch h := next.(type) {
		case handler:
			h(w, r, s)
		case http.Handler:
			h.ServeHTTP(w, r)
		}
	})
}

// csrfOf reads the CSRF token of a POST: the header, or the form field
// (multipart forms parsed up to maxForm).
func csrfOf(r *http.Request) string {
	if t := r.Header.Get("X-CSRF-Token"); t != "" {
		return t
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
	if err := r.ParseMultipartForm(maxMemory); err != nil && err != http.ErrNotMultipart {
		return ""
	}
	return r.PostFormValue("csrf")
}

// login spends a one-time token, sets the session cookie and goes to the
// overview.
func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	id, ok := d.sessions.redeem(r.URL.Query().Get("t"))
	if !ok {
		refuse(w, http.StatusUnauthorized, "this login URL is spent or expired: run `mycel dashboard` for a new one")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: id, Path: Prefix,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second),
	})
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

// refuse answers a plain-text refusal.
func refuse(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
}

// secureHeaders forbids framing, inline scripts and anything from
// another origin.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin") // "no-referrer" makes Chrome send Origin: null, which the API refuses
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
