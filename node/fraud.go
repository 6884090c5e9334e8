package node

import (
	"context"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// fraudDue is a fraud entry the node owes: the pair of one fork and the
// district to publish it in (that of the pair's first entry).
type fraudDue struct {
	District string
	Body     *settle.Fraud
}

// fraudRoom is what a fraud body may take of an entry: the pair plus the
// envelope must fit protocol.MaxEntrySize.
const fraudRoom = protocol.MaxEntrySize - 1024

// fraudsDue lists one fraud entry for each equivocating author of s (the
// pair at its first forked seq, see settle.Set.Forks), unless a fraud
// entry already held convicts that author, whoever wrote it: so a node
// writes at most one per (author, seq), and none once the news is out.
// Self is never accused by its own node, and a pair too large for one
// entry is left (the fork itself still flags the author where it is held).
func fraudsDue(s *settle.Set, self peer.ID) []fraudDue {
	convicted := convictions(s)
	var out []fraudDue
	for _, pair := range s.Forks() {
		a, b := pair[0], pair[1]
		if a.Author() == self || convicted[a.Author()] || len(a.Data)+len(b.Data) > fraudRoom {
			continue
		}
		out = append(out, fraudDue{District: a.Entry.District, Body: settle.NewFraud(a.Block, b.Block)})
	}
	return out
}

// convictions returns the authors convicted by fraud entries held.
func convictions(s *settle.Set) map[peer.ID]bool {
	convicted := map[peer.ID]bool{}
	s.Each(func(r *settle.Record) {
		if f, ok := r.Body.(*settle.Fraud); ok && f.Accused() != "" {
			convicted[f.Accused()] = true
		}
	})
	return convicted
}

// publishFrauds publishes the fraud entries due.
func (n *Node) publishFrauds(ctx context.Context, due []fraudDue) error {
	for _, f := range due {
		if err := n.emit(ctx, protocol.KindFraud, f.District, f.Body); err != nil {
			return fmt.Errorf("fraud: %w", err)
		}
		n.settler.mu.Lock()
		n.settler.frauds++
		n.settler.mu.Unlock()
	}
	return nil
}
