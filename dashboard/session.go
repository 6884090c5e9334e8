package dashboard

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

const (
	// loginTTL bounds how long a login URL may wait to be opened.
	loginTTL = 5 * time.Minute
	// sessionTTL bounds a session; a new login URL starts another.
	sessionTTL = 12 * time.Hour
	// maxLogins and maxSessions bound what is held: the oldest goes first.
	maxLogins   = 16
	maxSessions = 32
)

// session is one logged-in browser.
type session struct {
	csrf    string
	expires time.Time
}

// sessions holds the one-time login tokens and the sessions they opened.
type sessions struct {
	mu     sync.Mutex
	now    func() time.Time
	logins map[string]time.Time // login token -> expiry
	open   map[string]session   // session id -> session
}

func newSessions() *sessions {
	return &sessions{now: time.Now, logins: map[string]time.Time{}, open: map[string]session{}}
}

// secret returns 32 random bytes, base64url.
func secret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newLogin mints a one-time login token.
func (s *sessions) newLogin() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	evict(s.logins, maxLogins, func(t time.Time) time.Time { return t })
	tok := secret()
	s.logins[tok] = s.now().Add(loginTTL)
	return tok
}

// redeem spends a login token and opens a session: its id, ok false when
// the token is unknown, spent or expired.
func (s *sessions) redeem(tok string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.logins[tok]
	delete(s.logins, tok)
	if !ok || s.now().After(exp) {
		return "", false
	}
	evict(s.open, maxSessions, func(v session) time.Time { return v.expires })
	id := secret()
	s.open[id] = session{csrf: secret(), expires: s.now().Add(sessionTTL)}
	return id, true
}

// get returns the live session of id.
func (s *sessions) get(id string) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.open[id]
	if ok && s.now().After(v.expires) {
		delete(s.open, id)
		return session{}, false
	}
	return v, ok
}

// validCSRF says whether tok is the session's CSRF token.
func (v session) validCSRF(tok string) bool {
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(v.csrf)) == 1
}

// evict drops expired items of m, then the soonest to expire while m
// holds max or more.
func evict[V any](m map[string]V, max int, expires func(V) time.Time) {
	now := time.Now()
	for k, v := range m {
		if now.After(expires(v)) {
			delete(m, k)
		}
	}
	for len(m) >= max {
		var oldest string
		var at time.Time
		for k, v := range m {
			if oldest == "" || expires(v).Before(at) {
				oldest, at = k, expires(v)
			}
		}
		delete(m, oldest)
	}
}
