package replicate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/storage"
)

// errCut ends a session on purpose in tests (Service.cutAfter).
var errCut = errors.New("session cut")

// lingerTime bounds the wait for the peer to read an abort reason.
const lingerTime = 2 * time.Second

// Sync runs one anti-entropy session with p: both peers reconcile their
// vectors, then each streams what the other lacks. It returns when the
// peer has stored what this side sent. Stats count this side; on error
// they count what happened before it, and every batch stored so far stays
// stored, so the next Sync resumes from there.
//
// One session moves everything both ways, so a pair needs only one at a
// time: Sync returns an error matching ErrBusy, at once, while this side
// answers a session p started; and when both start at once, the session
// started by the lower peer ID goes on and the other ends with ErrBusy.
func (s *Service) Sync(ctx context.Context, p peer.ID) (Stats, error) {
	if !s.count(s.outgoing, p, 1, s.serving) {
		return Stats{}, fmt.Errorf("sync with %s: %w: answering its session", p, ErrBusy)
	}
	defer s.count(s.outgoing, p, -1, nil)
	se, release, err := s.open(ctx, p, SyncProtocol)
	if err != nil {
		return Stats{}, err
	}
	defer release()
	if err := se.run(true); err != nil {
		se.abort(err)
		return se.stats, fmt.Errorf("sync with %s: %w", p, err)
	}
	se.st.Close()
	return se.stats, nil
}

// answerSync answers a session p started, unless this side keeps its own
// session with p (ErrBusy) or answers as many as it allows (ErrFull).
func (s *Service) answerSync(se *session) error {
	p := se.st.Conn().RemotePeer()
	if s.yields(p) {
		err := fmt.Errorf("%w: keeping the session started by %s", ErrBusy, s.h.ID())
		se.abort(err)
		return err
	}
	if err := s.admit(se); err != nil {
		se.abort(err)
		return err
	}
	err := se.run(false)
	s.leave(se) // the slot is free while an abort lingers
	if s.cfg.OnAnswered != nil {
		s.cfg.OnAnswered(p, se.stats, err)
	}
	if err != nil {
		se.abort(err)
		return err
	}
	return nil
}

// count adds delta to m[p], unless unless[p] is non-zero: then it
// changes nothing and returns false.
func (s *Service) count(m map[peer.ID]int, p peer.ID, delta int, unless map[peer.ID]int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if unless[p] > 0 {
		return false
	}
	if m[p] += delta; m[p] <= 0 {
		delete(m, p)
	}
	return true
}

// yields reports whether a session p started must give way to one this
// side started: both run at once and this side's peer ID is the lower.
func (s *Service) yields(p peer.ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.outgoing[p] > 0 && s.h.ID() < p
}

// session is one side of one sync or fetch stream.
type session struct {
	svc    *Service
	st     network.Stream
	in     *bufio.Reader // paced, counted stream input
	r      *msgReader    // messages from in
	w      io.Writer     // paced, counted stream output
	stats  Stats
	moved  *atomic.Int64 // unix ns when this side last wrote a whole message or stored a new block
	sent   map[cid.Cid]bool
	slots  map[slot]bool // (author, seq) this side sent
	echoes []slot        // forks found here whose local entry the peer lacks
}

type slot struct {
	author peer.ID
	seq    uint64
}

// session starts a session on st: every read and write must make
// progress within Config.Idle, and all end by end.
func (s *Service) session(st network.Stream, end time.Time) *session {
	se := &session{svc: s, st: st, moved: new(atomic.Int64), sent: map[cid.Cid]bool{}, slots: map[slot]bool{}}
	se.moved.Store(s.now().UnixNano())
	ps := &paced{st: st, idle: s.cfg.Idle, end: end, moved: se.moved, now: s.now}
	se.in = newReader(ps, &se.stats.BytesReceived)
	se.r = &msgReader{r: se.in, scope: st.Scope(), onLength: s.onLength}
	se.w = &counter{w: ps, n: &se.stats.BytesSent}
	return se
}

// run is the whole session; see docs/PROTOCOL.md, section 6, for the turn order.
func (se *session) run(initiator bool) error {
	vec, err := vectorOf(se.svc.store)
	if err != nil {
		return err
	}
	rec := NewReconciler(vec)
	if err := se.reconcile(rec, initiator); err != nil {
		return err
	}
	pushes, forks := rec.Plan()
	if !initiator {
		if err := se.recvBlocks(); err != nil {
			return err
		}
		if err := se.push(pushes, forks); err != nil {
			return err
		}
		if err := se.recvBlocks(); err != nil {
			return err
		}
		return writeMsg(se.w, message{}) // done: everything is stored
	}
	if err := se.push(pushes, forks); err != nil {
		return err
	}
	if err := se.recvBlocks(); err != nil {
		return err
	}
	if err := se.push(nil, nil); err != nil {
		return err
	}
	var done message
	return se.r.read(&done)
}

func (se *session) reconcile(rec *Reconciler, initiator bool) error {
	if initiator {
		if err := writeTurn(se.w, rec.Open()); err != nil {
			return err
		}
	}
	for {
		out, ended, err := se.readTurn(rec)
		if err != nil || ended {
			return err
		}
		if err := writeTurn(se.w, out); err != nil || out.empty() {
			return err
		}
	}
}

// readTurn reads the peer's reconciliation turn message by message, each
// one processed by rec as it arrives, and returns the answer; ended
// reports an empty turn, which ends reconciliation.
func (se *session) readTurn(rec *Reconciler) (out message, ended bool, err error) {
	ended = true
	for i := 0; ; i++ {
		if i == maxTurn {
			return out, false, fmt.Errorf("%w: turn of more than %d messages", ErrTooLarge, maxTurn)
		}
		var m message
		if err := se.r.read(&m); err != nil {
			return out, false, err
		}
		if m.E != nil {
			return out, false, &RemoteError{Code: Code(m.E.C), Reason: m.E.R}
		}
		if len(m.B) > 0 {
			return out, false, fmt.Errorf("%w: blocks during reconciliation", ErrMalformed)
		}
		if !m.empty() {
			ended = false
			if err := rec.add(m, &out); err != nil {
				return out, false, err
			}
		}
		if !m.M {
			break
		}
	}
	if !ended {
		rec.end(&out)
	}
	return out, ended, nil
}

// abort tells the peer why (unless the peer or the stream ended it) and
// resets the stream.
func (se *session) abort(err error) {
	var remote *RemoteError
	switch {
	case errors.Is(err, errCut):
		_ = se.st.CloseWrite()
		_, _ = io.Copy(io.Discard, se.in) // let the peer read what was sent
	case errors.As(err, &remote), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, network.ErrReset):
	default:
		tell(se.st, err)
	}
	se.st.Reset()
}

// tell sends the abort reason and gives the peer a moment to read it
// before the stream is reset.
func tell(st network.Stream, err error) {
	_ = st.SetWriteDeadline(time.Now().Add(lingerTime))
	if writeMsg(st, message{E: &failure{C: uint64(codeOf(err)), R: err.Error()}}) != nil {
		return
	}
	_ = st.CloseWrite()
	_ = st.SetReadDeadline(time.Now().Add(lingerTime))
	_, _ = io.Copy(io.Discard, io.LimitReader(st, MaxMessage))
}

// vectorOf reads a store's version vector: heads and fork records.
func vectorOf(s storage.Reader) (Vector, error) {
	heads, err := s.Heads()
	if err != nil {
		return Vector{}, fmt.Errorf("read heads: %w", err)
	}
	forks, err := s.Forks()
	if err != nil {
		return Vector{}, fmt.Errorf("read forks: %w", err)
	}
	cids, seqs := map[peer.ID][]cid.Cid{}, map[peer.ID][]uint64{}
	for _, f := range forks {
		if _, ok := cids[f.Author]; !ok {
			bs, err := branchSet(s, f.Author, f.Seq)
			if err != nil {
				return Vector{}, err
			}
			cids[f.Author] = bs
		}
		cids[f.Author] = append(cids[f.Author], f.First, f.Second)
		seqs[f.Author] = append(seqs[f.Author], f.Seq)
	}
	vs := make([]Version, len(heads))
	for i, h := range heads {
		vs[i] = Version{Author: h.Author, Seq: h.Seq, Digest: h.Digest, Forks: cids[h.Author], ForkAt: seqs[h.Author]}
	}
	return NewVector(vs), nil
}

// branchSet returns the CIDs a forked author's fork set holds besides
// its fork records: every entry of the author held from its first forked
// seq on, joined or pending, whichever branch the log took. They travel
// like fork entries, so every replica comes to hold every branch, and two
// replicas that hold the same entries have the same fork set
// (docs/PROTOCOL.md, 6.2). Forks lists records by author then seq, so
// first is the author's first forked seq.
func branchSet(s storage.Reader, author peer.ID, first uint64) ([]cid.Cid, error) {
	log, err := s.Log(author, first, 0)
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	out, err := s.Waiting(author)
	if err != nil {
		return nil, fmt.Errorf("read pending: %w", err)
	}
	for _, b := range log {
		out = append(out, b.CID)
	}
	return out, nil
}

// counter counts the bytes that pass through a stream.
type counter struct {
	r io.Reader
	w io.Writer
	n *int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

func newReader(r io.Reader, n *int64) *bufio.Reader {
	return bufio.NewReader(&counter{r: r, n: n})
}
