package node

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
)

// fakeMDNS is an mDNS service that records its Close.
type fakeMDNS struct{ closed chan struct{} }

func (f *fakeMDNS) Start() error { return nil }
func (f *fakeMDNS) Close() error { close(f.closed); return nil }

// syncBuffer is a log destination safe for the node's goroutines; seen
// is closed once the log holds want.
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	want string
	seen chan struct{}
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	had := strings.Contains(s.b.String(), s.want)
	s.b.Write(p)
	if !had && strings.Contains(s.b.String(), s.want) {
		close(s.seen)
	}
	return len(p), nil
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestMDNSWithoutInterface: a machine with no multicast interface yet
// starts its node anyway, with mDNS off and one log line saying so; mDNS
// starts once the interface comes up, and stops with the node.
func TestMDNSWithoutInterface(t *testing.T) {
	up := make(chan struct{}) // the interface comes up
	svc := &fakeMDNS{closed: make(chan struct{})}
	defer func(s func(*Node) (mdns.Service, error), r time.Duration) { startMDNS, mdnsRetry = s, r }(startMDNS, mdnsRetry)
	mdnsRetry = 10 * time.Millisecond
	startMDNS = func(*Node) (mdns.Service, error) {
		select {
		case <-up:
			return svc, nil
		default:
			return nil, errors.New("no supported interface")
		}
	}
	logs := &syncBuffer{want: "mdns on", seen: make(chan struct{})}
	n := startNode(t, Config{Listen: loopback(), MDNS: true}, WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if got := logs.String(); strings.Count(got, "mdns off") != 1 || !strings.Contains(got, "no supported interface") {
		t.Fatalf("log after start: %q, want one line saying mdns is off", got)
	}
	close(up)
	<-logs.seen
	if got := logs.String(); strings.Count(got, "mdns off") != 1 {
		t.Fatalf("log: %q, want mdns off once, then on", got)
	}
	n.Close()
	<-svc.closed
}
