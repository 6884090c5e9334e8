package node

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// fraudDue is a fraud entry the node owes: the pair of one fork of
// Accused and the district to publish it in (that of the pair's first
// entry).
type fraudDue struct {
	Accused  peer.ID
	District string
	Body     *settle.Fraud
}

// fraudRoom is what a fraud body may take of an entry: the pair plus the
// envelope must fit protocol.MaxEntrySize.
const fraudRoom = protocol.MaxEntrySize - 1024

// fraudsDue judges the forked authors of the duty not judged yet: one
// fraud entry is due for each (the pair at its first forked seq, see
// settle.Set.Fork) that the node follows (see follows), unless a fraud
// entry held already convicts that author, whoever wrote it: so a node
// writes at most one per author, and none once the news is out. Self is
// never accused by its own node, and a pair too large for one entry is
// left (the fork itself still flags the author where it is held). An
// author not followed waits in the duty until its log or a roster grows.
// The cost is that of the authors judged, not of the set.
func (w *views) fraudsDue(self peer.ID, districts []string) []fraudDue {
	if len(w.duty.forks) == 0 {
		return nil
	}
	s := w.ledger.Set()
	follow := follows(s, settle.RostersOf(w.ver.Rules(), nil, w.pins), districts)
	var out []fraudDue
	for _, a := range sortedPeers(w.duty.forks) {
		delete(w.duty.forks, a)
		if a == self || w.duty.convicted[a] {
			continue
		}
		if !follow(a) {
			w.duty.unfollowed[a] = true
			continue
		}
		pair, ok := s.Fork(a)
		if !ok || len(pair[0].Data)+len(pair[1].Data) > fraudRoom {
			continue
		}
		out = append(out, fraudDue{Accused: a, District: pair[0].Entry.District, Body: settle.NewFraud(pair[0].Block, pair[1].Block)})
	}
	return out
}

// follows returns whether the node follows an author, the rule for which
// forks it writes fraud entries: a holds the steward or verifier role in
// the roster of one of districts, computed as if no author were flagged
// (the fork flags a), or a's entry at seq 1 is held and is the only one
// there, so a's log has an entry that is not part of any fork pair. A
// throwaway key that signs two entries at seq 1 is followed by nobody;
// its fork still flags it wherever both entries are held. Pure: the
// result depends only on the set, the rosters and districts.
func follows(s *settle.Set, rosters map[string]*settle.Roster, districts []string) func(peer.ID) bool {
	return func(a peer.ID) bool {
		for _, d := range districts {
			if r := rosters[d]; r != nil && (r.Stewards[a] || r.Verifiers[a]) {
				return true
			}
		}
		return s.Head(a) >= 1 && len(s.At(a, 1)) == 1
	}
}

// publishFrauds publishes the fraud entries due; it returns how many it
// published.
func (n *Node) publishFrauds(ctx context.Context, due []fraudDue) (int, error) {
	for i, f := range due {
		if err := n.emit(ctx, protocol.KindFraud, f.District, f.Body); err != nil {
			return i, fmt.Errorf("fraud: %w", err)
		}
		n.settler.mu.Lock()
		n.settler.frauds++
		n.settler.mu.Unlock()
	}
	return len(due), nil
}

// sortedPeers lists the keys of m in byte order.
func sortedPeers(m map[peer.ID]bool) []peer.ID {
	return slices.SortedFunc(maps.Keys(m), func(a, b peer.ID) int { return bytes.Compare([]byte(a), []byte(b)) })
}
