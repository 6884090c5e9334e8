package replicate

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	mycel "github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// Stream protocol IDs.
const (
	SyncProtocol  = "/mycel/sync/1"
	FetchProtocol = "/mycel/fetch/1"
)

// Defaults of Config.
const (
	defaultTimeout = 2 * time.Minute
	defaultIdle    = 20 * time.Second
	defaultServed  = 16
	defaultPerPeer = 2
)

// Config sets up a Service. The zero value works.
type Config struct {
	// Check is the full kernel check of an opened block; Reject drops the
	// block and counts against the peer, Ignore drops it silently. Nil
	// accepts every block that opens. It is called from several
	// goroutines at once: a message's blocks are opened on every core.
	Check func(mycel.Block) mycel.Verdict
	// OnStored is called after each block a session stores (New, Pending
	// or Equivocation), with the peer that sent it, from the session's
	// goroutine. Nil: no calls.
	OnStored func(peer.ID, mycel.Block, storage.Result)
	// OnRejected is called for each block a sync session turns down
	// (it does not open, or Check says Reject), with the peer that sent it
	// and the reason, from the session's goroutine. Nil: no calls.
	OnRejected func(peer.ID, error)
	// OnAnswered is called when a sync session a peer started ends, with
	// this side's counts (what it stored among them) and the error that
	// ended it, if any, from the session's goroutine. Nil: no calls.
	OnAnswered func(peer.ID, Stats, error)
	// Timeout bounds a whole session, sync or fetch, either side; an
	// earlier deadline of the context bounds an outgoing one. Zero: 2 min.
	Timeout time.Duration
	// Idle bounds each read and write on a stream: a peer that makes no
	// progress for this long is cut. Zero: 20 s.
	Idle time.Duration
	// MaxServed caps the sync sessions answered at once, from all peers;
	// MaxServedPerPeer from any one. Over a cap a session is refused with
	// code 8 (full). Zero: 16 and 2.
	MaxServed, MaxServedPerPeer int
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	c.Timeout = cmp.Or(c.Timeout, defaultTimeout)
	c.Idle = cmp.Or(c.Idle, defaultIdle)
	c.MaxServed = cmp.Or(c.MaxServed, defaultServed)
	c.MaxServedPerPeer = cmp.Or(c.MaxServedPerPeer, defaultPerPeer)
	return c
}

// Stats counts one sync session from this side.
type Stats struct {
	Sent, Received int // blocks written, blocks read
	New, Known     int // stored (New or Pending), already held
	Forks          int // stored as equivocation records
	Rejected       int // failed Open or Check with Reject
	Refused        int // turned down by the store's quotas (storage.Refused)
	BytesSent      int64
	BytesReceived  int64
}

// Service answers and starts sync and fetch sessions over one host.
type Service struct {
	h     host.Host
	store storage.Store
	cfg   Config

	mu       sync.Mutex
	closed   bool
	streams  map[network.Stream]struct{}
	outgoing map[peer.ID]int       // sync sessions this side started, per peer
	serving  map[peer.ID]int       // sync sessions this side answers, per peer
	answered map[*session]struct{} // the sync sessions this side answers
	fetching map[peer.ID]int       // fetches this side answers, per peer
	wg       sync.WaitGroup

	cutAfter int              // tests: reset a session after sending this many blocks
	onLength func()           // tests: called when a message length is read
	now      func() time.Time // the clock of session progress; time.Now
}

// New registers the sync and fetch handlers on h.
func New(h host.Host, s storage.Store, cfg Config) *Service {
	svc := &Service{h: h, store: s, cfg: cfg.withDefaults(), streams: map[network.Stream]struct{}{}, outgoing: map[peer.ID]int{}, serving: map[peer.ID]int{}, answered: map[*session]struct{}{}, fetching: map[peer.ID]int{}, now: time.Now}
	h.SetStreamHandler(protocol.ID(SyncProtocol), svc.serve(svc.answerSync))
	h.SetStreamHandler(protocol.ID(FetchProtocol), svc.serve(svc.answerFetch))
	return svc
}

// Close removes the handlers, resets sessions in flight and waits for
// them. It is safe to call twice.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.h.RemoveStreamHandler(protocol.ID(SyncProtocol))
	s.h.RemoveStreamHandler(protocol.ID(FetchProtocol))
	for st := range s.streams {
		st.Reset()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// track registers a stream so that Close can end it; false after Close.
func (s *Service) track(st network.Stream) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.streams[st] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Service) untrack(st network.Stream) {
	s.mu.Lock()
	delete(s.streams, st)
	s.mu.Unlock()
	s.wg.Done()
}

// serve wraps a handler with tracking and deadlines.
func (s *Service) serve(answer func(*session) error) network.StreamHandler {
	return func(st network.Stream) {
		if !s.track(st) {
			st.Reset()
			return
		}
		defer s.untrack(st)
		end := time.Now().Add(s.cfg.Timeout)
		_ = st.SetDeadline(end)
		if err := answer(s.session(st, end)); err != nil {
			st.Reset()
			return
		}
		st.Close()
	}
}

// open starts a tracked session on a new stream to p, ended by ctx or
// by Config.Timeout, whichever comes first. The returned func releases it.
func (s *Service) open(ctx context.Context, p peer.ID, proto string) (*session, func(), error) {
	end := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(end) {
		end = d
	}
	dial, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	st, err := s.h.NewStream(dial, p, protocol.ID(proto))
	if err != nil {
		return nil, nil, fmt.Errorf("open %s to %s: %w", proto, p, err)
	}
	if !s.track(st) {
		st.Reset()
		return nil, nil, ErrClosed
	}
	_ = st.SetDeadline(end)
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	return s.session(st, end), func() { stop(); s.untrack(st) }, nil
}
