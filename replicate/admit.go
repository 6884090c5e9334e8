package replicate

import (
	"fmt"
	"time"
)

// stallGrace is how long a session answered must have gone without a
// whole message read or written before a new session may take its slot.
const stallGrace = 2 * time.Second

// admit counts a sync session its peer started, unless this side answers
// MaxServedPerPeer sessions of that peer (ErrFull). When MaxServed are
// answered in all, the one that has gone longest without moving a whole
// message gives up its slot if that is more than stallGrace (it is
// reset); otherwise the new session is refused (ErrFull). So peers that
// hold sessions open without speaking cannot keep others out, and an
// honest session, which moves a message every few milliseconds, is never
// the one reclaimed.
func (s *Service) admit(se *session) error {
	p := se.st.Conn().RemotePeer()
	s.mu.Lock()
	if n := s.serving[p]; n >= s.cfg.MaxServedPerPeer {
		s.mu.Unlock()
		return fmt.Errorf("%w: %d from %s, limit %d", ErrFull, n, p, s.cfg.MaxServedPerPeer)
	}
	var stalled *session
	if len(s.answered) >= s.cfg.MaxServed {
		if stalled = s.stalled(); stalled == nil {
			s.mu.Unlock()
			return fmt.Errorf("%w: %d, limit %d", ErrFull, len(s.answered), s.cfg.MaxServed)
		}
		s.drop(stalled)
	}
	s.answered[se] = struct{}{}
	s.serving[p]++
	s.mu.Unlock()
	if stalled != nil {
		stalled.st.Reset()
	}
	return nil
}

// stalled returns the session answered that has gone longest without
// moving a message, if that is more than stallGrace; the caller holds mu.
func (s *Service) stalled() *session {
	var oldest *session
	for se := range s.answered {
		if oldest == nil || se.moved.Load() < oldest.moved.Load() {
			oldest = se
		}
	}
	if oldest == nil || s.now().Sub(time.Unix(0, oldest.moved.Load())) <= stallGrace {
		return nil
	}
	return oldest
}

// leave ends a session admit counted, unless its slot was reclaimed.
func (s *Service) leave(se *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.answered[se]; ok {
		s.drop(se)
	}
}

// drop removes se from the sessions answered; the caller holds mu.
func (s *Service) drop(se *session) {
	delete(s.answered, se)
	p := se.st.Conn().RemotePeer()
	if s.serving[p]--; s.serving[p] <= 0 {
		delete(s.serving, p)
	}
}
