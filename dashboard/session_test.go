package dashboard

import (
	"testing"
	"time"
)

func TestLoginOnce(t *testing.T) {
	s := newSessions()
	tok := s.newLogin()
	id, ok := s.redeem(tok)
	if !ok || id == "" {
		t.Fatal("a fresh login token was refused")
	}
	if _, ok := s.redeem(tok); ok {
		t.Fatal("a login token worked twice")
	}
	sess, ok := s.get(id)
	if !ok || !sess.validCSRF(sess.csrf) || sess.validCSRF("") || sess.validCSRF(sess.csrf+"x") {
		t.Fatalf("session %v: CSRF check wrong", ok)
	}
}

func TestLoginExpires(t *testing.T) {
	s := newSessions()
	now := time.Now()
	s.now = func() time.Time { return now }
	tok := s.newLogin()
	now = now.Add(loginTTL + time.Second)
	if _, ok := s.redeem(tok); ok {
		t.Fatal("an expired login token was taken")
	}
	id, _ := s.redeem(s.newLogin())
	now = now.Add(sessionTTL + time.Second)
	if _, ok := s.get(id); ok {
		t.Fatal("an expired session was admitted")
	}
}

func TestSessionsBounded(t *testing.T) {
	s := newSessions()
	for range 3 * maxSessions {
		s.redeem(s.newLogin())
	}
	if len(s.open) > maxSessions || len(s.logins) > maxLogins {
		t.Fatalf("holds %d sessions and %d logins", len(s.open), len(s.logins))
	}
}
