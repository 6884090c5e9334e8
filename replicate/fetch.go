package replicate

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// ErrRejected wraps the reason a fetched block failed Config.Check.
var ErrRejected = errors.New("block rejected")

// request is the one message a fetch initiator sends: binary CIDs.
type request struct {
	C [][]byte `cbor:"c"`
}

func (r *request) check() error {
	if len(r.C) > MaxFetch {
		return fmt.Errorf("%w: %d, limit %d", ErrTooManyCIDs, len(r.C), MaxFetch)
	}
	return nil
}

// Fetch asks p for the blocks with the given CIDs (at most MaxFetch). Every
// block is checked against the CID it answers (hash and signature) and by
// Config.Check before any is stored; one bad block fails the whole fetch
// and stores nothing. The good blocks are stored in one transaction and
// returned in request order; CIDs the peer does not hold, and blocks
// Config.Check Ignores, are absent.
func (s *Service) Fetch(ctx context.Context, p peer.ID, cids []cid.Cid) ([]protocol.Block, error) {
	if len(cids) > MaxFetch {
		return nil, fmt.Errorf("fetch from %s: %w: %d, limit %d", p, ErrTooManyCIDs, len(cids), MaxFetch)
	}
	se, release, err := s.open(ctx, p, FetchProtocol)
	if err != nil {
		return nil, err
	}
	defer release()
	blocks, err := s.fetch(se, cids)
	if err != nil {
		se.st.Reset()
		return nil, fmt.Errorf("fetch from %s: %w", p, err)
	}
	se.st.Close()
	return blocks, nil
}

func (s *Service) fetch(se *session, cids []cid.Cid) ([]protocol.Block, error) {
	req := request{C: make([][]byte, len(cids))}
	want := make(map[cid.Cid]int, len(cids))
	for i, c := range cids {
		req.C[i], want[c] = c.Bytes(), i
	}
	if err := writeMsg(se.w, req); err != nil {
		return nil, err
	}
	got, err := s.receive(se, want)
	if err != nil {
		return nil, err
	}
	return s.keep(se.st.Conn().RemotePeer(), got, len(cids))
}

// receive reads the response and opens every block against its CID.
func (s *Service) receive(se *session, want map[cid.Cid]int) (map[int]protocol.Block, error) {
	got, seen := map[int]protocol.Block{}, map[int]bool{}
	for {
		var m message
		if err := se.r.read(&m); err != nil {
			return nil, err
		}
		if m.E != nil {
			return nil, &RemoteError{Code: Code(m.E.C), Reason: m.E.R}
		}
		if len(m.B) > batchSize {
			return nil, fmt.Errorf("%w: %d blocks in a message, limit %d", ErrTooLarge, len(m.B), batchSize)
		}
		for _, d := range m.B {
			c := protocol.Sum(d)
			i, ok := want[c]
			if !ok || seen[i] {
				return nil, fmt.Errorf("%w: %s", ErrUnexpected, c)
			}
			seen[i] = true
			b, err := protocol.OpenCID(c, d)
			if err != nil {
				return nil, fmt.Errorf("block %s: %w", c, err)
			}
			keep, err := s.check(b)
			if err != nil {
				return nil, err
			}
			if keep {
				got[i] = b
			}
		}
		if !m.M {
			return got, nil
		}
	}
}

// check judges a fetched block: a Reject fails the fetch, an Ignore
// leaves the block out (not stored, absent from the answer).
func (s *Service) check(b protocol.Block) (keep bool, err error) {
	if s.cfg.Check == nil {
		return true, nil
	}
	switch v := s.cfg.Check(b); v.Outcome {
	case protocol.Reject:
		return false, fmt.Errorf("%w: %s: %v", ErrRejected, b.CID, v.Reason)
	case protocol.Ignore:
		return false, nil
	}
	return true, nil
}

// keep stores the blocks fetched from p in one transaction, in request
// order, and returns those the store holds (not those its quotas refused).
func (s *Service) keep(p peer.ID, got map[int]protocol.Block, n int) ([]protocol.Block, error) {
	out := make([]protocol.Block, 0, len(got))
	for i := range n {
		if b, ok := got[i]; ok {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	res, err := s.put(p, out)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	held := out[:0]
	for i, r := range res {
		if r.Status == storage.Refused {
			continue
		}
		if r.Status != storage.Known && s.cfg.OnStored != nil {
			s.cfg.OnStored(p, out[i], r)
		}
		held = append(held, out[i])
	}
	return held, nil
}

// Bounds of the fetches this side answers: a fetch returns stored blocks,
// so its answer may be much larger than its request; it is bounded per
// request and per peer instead.
const (
	fetchPerPeer  = 2       // fetches answered at once for one peer
	maxFetchBytes = 4 << 20 // block bytes in one answer; the rest is absent
)

// startFetch counts a fetch p asked for, unless p has fetchPerPeer
// answered already.
func (s *Service) startFetch(p peer.ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fetching[p] >= fetchPerPeer {
		return false
	}
	s.fetching[p]++
	return true
}

func (s *Service) endFetch(p peer.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fetching[p]--; s.fetching[p] <= 0 {
		delete(s.fetching, p)
	}
}

// answerFetch serves one fetch request.
func (s *Service) answerFetch(se *session) error {
	p := se.st.Conn().RemotePeer()
	if !s.startFetch(p) {
		err := fmt.Errorf("%w: %d fetches from %s, limit %d", ErrFull, fetchPerPeer, p, fetchPerPeer)
		tell(se.st, err)
		return err
	}
	defer s.endFetch(p)
	var req request
	if err := se.r.read(&req); err != nil {
		tell(se.st, err)
		return err
	}
	b := &batcher{se: se}
	answered := 0
	for _, raw := range req.C {
		c, err := cid.Cast(raw)
		if err != nil {
			err = fmt.Errorf("%w: cid: %v", ErrMalformed, err)
			tell(se.st, err)
			return err
		}
		blk, err := s.store.Get(c)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if answered += len(blk.Data); answered > maxFetchBytes {
			break // the rest is absent: the peer asks again
		}
		if err := b.add(blk); err != nil {
			return err
		}
	}
	return b.flush(false)
}
