package node

import (
	"context"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// checkOwnLog runs before every write of the node's own log. The first
// one after start asks every connected peer for the own head (at most the
// own-head wait; with no peer connected it does not wait) and fetches the
// own entries they hold past the vault's head, so the write continues
// after them. Every write then fails with an error wrapping ErrOwnLog
// when one of these holds:
//
//   - the own author is flagged in the views (a fork or a fraud entry);
//   - the vault holds an own entry this run did not write, signed after
//     this run started: another process with this identity is writing;
//   - a connected peer saw another process of this identity online (the
//     peer is asked again first: the other may have stopped);
//   - a peer delivered own entries past the vault's head and holds more
//     than it delivered yet;
//   - the vault was restored from a backup and no peer confirmed its
//     head yet (restored.go).
func (n *Node) checkOwnLog(ctx context.Context) error {
	s := n.self
	s.gate.Lock()
	if !s.isChecked() || s.isRestored() { // a restored vault asks on every write until a peer confirms
		n.askAll(ctx)
		s.setChecked()
	}
	s.gate.Unlock()
	if by := s.twinPeer(); by != "" {
		ctx, cancel := context.WithTimeout(ctx, s.wait)
		n.learnFrom(ctx, by)
		cancel()
	}
	return n.OwnLogErr()
}

// OwnLogErr says why the node would refuse to write its own log now (an
// error wrapping ErrOwnLog, one line with the remedy), or nil.
func (n *Node) OwnLogErr() error {
	me := n.host.ID()
	if n.ownFlagged(me) {
		return errOwnFlagged
	}
	h, err := n.store.Head(me)
	if err != nil {
		return fmt.Errorf("own log: %w", err)
	}
	if err := n.self.scan(n.store, me, h.Seq); err != nil {
		return err
	}
	return n.self.verdict(h.Seq)
}

func (n *Node) ownFlagged(me peer.ID) bool {
	var flagged bool
	n.views.work(func(w *views) { flagged = w.ledger.Flagged(me) })
	return flagged
}

// scan judges the own entries stored since the last scan up to head: an
// entry this run did not write and signed after its start is another
// process's.
func (s *ownLog) scan(r vault.Reader, me peer.ID, head uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.writing && head > s.vouched {
		// The head may be the entry an append of this run is storing, and
		// will record (wrote) a moment later: judged by the next scan.
		head--
	}
	if head <= s.vouched {
		return nil
	}
	log, err := r.Log(me, s.vouched+1, 0)
	if err != nil {
		return fmt.Errorf("own log: %w", err)
	}
	for _, b := range log {
		if !s.mine[b.Entry.Seq] && b.Entry.Time > s.start && s.twinSeq == 0 {
			s.twinSeq = b.Entry.Seq
		}
		delete(s.mine, b.Entry.Seq)
	}
	s.vouched = head
	return nil
}

// appending marks an append of this run under way, until wrote or
// appending(false): a scan meanwhile leaves the head for the next.
func (s *ownLog) appending(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writing = on
}

// wrote records an entry this run appended.
func (s *ownLog) wrote(b protocol.Block) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writing = false
	if b.Entry.Seq == s.vouched+1 {
		s.vouched++
		return
	}
	s.mine[b.Entry.Seq] = true
}

func (s *ownLog) verdict(head uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.twinSeq > 0:
		return fmt.Errorf("%w: it wrote seq %d after this daemon started; stop one of the two, then restart the other", errTwin, s.twinSeq)
	case s.twinBy != "":
		return fmt.Errorf("%w online now (peer %s sees both); stop the other copy of this home (or disconnect %s if there is none)", errTwin, s.twinBy, s.twinBy)
	case s.behind > head:
		return fmt.Errorf("%w: peer %s holds seq %d of it, this vault seq %d; wait for sync to bring the rest (mycel status), then retry", errOwnBehind, s.behindP, s.behind, head)
	case s.restored:
		return errRestored
	}
	return nil
}

func (s *ownLog) isChecked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checked
}

func (s *ownLog) isRestored() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restored
}

func (s *ownLog) setChecked() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checked = true
}

func (s *ownLog) twinPeer() peer.ID {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.twinBy
}
