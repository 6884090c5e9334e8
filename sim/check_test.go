package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// healAll ends every fault: the partition, stopped peers, closed
// connections. It returns when the last heal is done.
func (w *world) healAll() time.Time {
	w.side = nil
	w.faults.set(0, 0)
	for _, p := range w.peers {
		if p.node == nil {
			w.startNode(p)
		}
	}
	w.reconcile()
	w.logf("heal all")
	return time.Now()
}

// state is what the peers agree on, or a reason they do not yet.
func (w *world) state() (string, bool) {
	first := w.peers[0]
	sd, vd, ve := first.store.Digest(), first.node.Views().Digest(), first.node.Views().Entries()
	missing := 0
	for c := range w.acked {
		if ok, _ := first.store.Has(c); !ok {
			missing++
		}
	}
	if missing > 0 {
		return fmt.Sprintf("peer 0 lacks %d acknowledged entries; holdings %v", missing, w.counts()), false
	}
	for _, p := range w.peers[1:] {
		if p.store.Digest() != sd {
			return fmt.Sprintf("peer %d: store digest differs from peer 0; holdings %v", p.i, w.counts()), false
		}
		if p.node.Views().Digest() != vd {
			return fmt.Sprintf("peer %d: ledger digest differs from peer 0", p.i), false
		}
		if n := p.node.Views().Entries(); n != ve {
			return fmt.Sprintf("peer %d: views hold %d entries, peer 0 %d", p.i, n, ve), false
		}
	}
	return fmt.Sprintf("%x/%x", sd[:4], vd[:4]), true
}

// converge waits, in virtual time, until every peer holds the same
// entries and ledger and keeps them for quiet; it returns how long after
// healed that state was first reached, or fails after limit.
func (w *world) converge(healed time.Time, quiet, limit time.Duration) (time.Duration, error) {
	var since time.Time
	last := ""
	for time.Since(healed) < limit {
		why, ok := w.state()
		switch {
		case !ok:
			since = time.Time{}
		case since.IsZero() || why != last:
			since = time.Now()
		case time.Since(since) >= quiet:
			return since.Sub(healed), nil
		}
		if why != last && *flagSeed != 0 {
			w.logf("state: %s", why)
		}
		last = why
		time.Sleep(100 * time.Millisecond)
	}
	why, _ := w.state()
	return limit, fmt.Errorf("not converged %s after the last heal: %s", limit, why)
}

// invariants checks the settled state of every peer.
func (w *world) invariants() error {
	var errs []string
	for _, p := range w.peers {
		v := p.node.Views()
		paid := map[string]int{}
		for _, l := range v.Lines() {
			if len(l.For) < 2 || w.restored[l.Payer] {
				continue
			}
			k := string(l.Payer) + l.For[0].KeyString() + l.For[1].KeyString()
			if paid[k]++; paid[k] > 1 {
				errs = append(errs, fmt.Sprintf("peer %d: pledge %s pays proof %s twice", p.i, short(l.For[1]), short(l.For[0])))
			}
		}
		for _, f := range v.Flags() {
			if !w.restored[f] {
				errs = append(errs, fmt.Sprintf("peer %d: author %s flagged, never forked", p.i, w.name(f)))
			}
		}
		forks, _ := p.store.Forks()
		for _, f := range forks {
			if !w.restored[f.Author] {
				errs = append(errs, fmt.Sprintf("peer %d: fork of %s at seq %d", p.i, w.name(f.Author), f.Seq))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func (w *world) name(id peer.ID) string {
	for _, p := range w.peers {
		if p.id == id {
			return fmt.Sprintf("peer %d (%s)", p.i, p.role)
		}
	}
	return id.String()
}

func short(c cid.Cid) string {
	s := c.String()
	return s[max(0, len(s)-8):]
}

// counts lists each peer's joined entries.
func (w *world) counts() []int {
	out := make([]int, len(w.peers))
	for i, p := range w.peers {
		out[i] = p.store.Count()
	}
	return out
}
