package node

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// DefaultFollowAge is how long a node must have held a joined entry of an
// author, when that author's first fork is stored, to follow it (see
// WithFollowAge).
const DefaultFollowAge = 10 * time.Minute

// maxYoung bounds the authors the node remembers as first held within the
// follow age; past it the earliest is forgotten, so counts as known, early.
// The new-author quota admits far fewer from peers in one follow age.
const maxYoung = 1 << 16

// WithFollowAge sets how long the node must have held a joined entry of
// an author, when its first fork is stored, to write a fraud entry for it
// (default DefaultFollowAge); 0 follows every author it held an entry of
// before the fork. Demos and tests shorten it.
func WithFollowAge(d time.Duration) Option {
	return func(o *options) { o.followAge = &d }
}

// fraudsDue takes the followed forked authors of the duty (see
// views.judge) and plans their fraud entries (see settle.PlanFrauds): at
// most one per author, none once a fraud entry held convicts it, whoever
// wrote it, and none against self. The cost is that of the authors due,
// not of the set.
func (w *views) fraudsDue(self peer.ID) []settle.FraudDue {
	if len(w.duty.due) == 0 {
		return nil
	}
	due := slices.Collect(maps.Keys(w.duty.due))
	clear(w.duty.due)
	return settle.PlanFrauds(self, w.ledger.Set(), due, w.duty.convicted)
}

// judge decides, once per run, whether the node writes a fraud entry for
// the author of a fork just stored live, its first: it does if it follows
// the author, that is, if the author holds a role in the roster of one of
// the node's districts (computed as if no author were flagged: the fork
// flags it), or if the node held a joined entry of the author (held) and
// has for at least the follow age. An author not followed is never
// judged again in this run, unless it becomes a roster member (gained).
func (w *views) judge(a peer.ID, held bool, now time.Time) {
	if w.duty.judged[a] {
		return
	}
	w.duty.judged[a] = true
	if w.members.Member(a) || (held && w.young.known(a, now, w.followAge)) {
		w.duty.due[a] = true
	}
}

// gained makes a fraud entry due for the forked authors who just became
// roster members.
func (w *views) gained(members []peer.ID) {
	for _, a := range members {
		if w.duty.judged[a] {
			w.duty.due[a] = true
		}
	}
}

// young remembers when the node first held a joined entry of each author
// it did not hold at start, for the follow age; an author held and not
// in it is older.
type young struct {
	since map[peer.ID]time.Time
	order []youngAt // by time
}

type youngAt struct {
	author peer.ID
	at     time.Time
}

// add notes that a's first joined entry was stored at t (t never
// decreases from one call to the next).
func (y *young) add(a peer.ID, t time.Time) {
	if y.since == nil {
		y.since = map[peer.ID]time.Time{}
	}
	if len(y.order) >= maxYoung {
		y.drop()
	}
	y.since[a] = t
	y.order = append(y.order, youngAt{a, t})
}

// prune forgets the authors held for age or longer.
func (y *young) prune(now time.Time, age time.Duration) {
	for len(y.order) > 0 && now.Sub(y.order[0].at) >= age {
		y.drop()
	}
}

func (y *young) drop() {
	if y.since[y.order[0].author] == y.order[0].at {
		delete(y.since, y.order[0].author)
	}
	y.order = y.order[1:]
}

// known reports whether an author held has been for age at now.
func (y *young) known(a peer.ID, now time.Time, age time.Duration) bool {
	t, ok := y.since[a]
	return !ok || now.Sub(t) >= age
}

// publishFrauds publishes the fraud entries due; it returns how many it
// published.
func (n *Node) publishFrauds(ctx context.Context, due []settle.FraudDue) (int, error) {
	for i, f := range due {
		if err := n.emit(ctx, protocol.KindFraud, f.District, f.Fraud); err != nil {
			return i, fmt.Errorf("fraud: %w", err)
		}
		n.settler.mu.Lock()
		n.settler.frauds++
		n.settler.mu.Unlock()
	}
	return len(due), nil
}
