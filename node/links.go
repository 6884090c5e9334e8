package node

import (
	"context"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/settle"
)

// Links to blocks this node holds none of (an attestation's proof, what a
// receipt pays for) are asked for by CID from each peer a sync round
// was run with. Sync compares payload digests, so it never carries a
// further block of an entry both sides hold (another signature over the
// same payload): without the ask, a link to that block would name nothing
// here while it names the entry on a peer that holds the block, and the
// two would compute other views from the same entries.
const (
	maxWanted    = 256 // links waiting for a block; more are not tracked
	wantTries    = 4   // rounds a link is asked for before it is given up
	wantPerRound = 16  // CIDs asked for after one round
)

// wanted is the set of linked CIDs no held block has, with the rounds
// each was asked for. The views own it, under their lock.
type wanted map[cid.Cid]int

// note records the links of r that name no entry of s, and forgets r's
// own CID, which now names an entry.
func (w wanted) note(s *settle.Set, r *settle.Record) {
	delete(w, r.CID)
	for _, c := range settle.Links(r) {
		if _, ok := s.Named(c); ok || len(w) >= maxWanted {
			continue
		}
		if _, ok := w[c]; !ok {
			w[c] = 0
		}
	}
}

// take returns up to n CIDs to ask for, in CID order, counting the ask;
// a CID asked for wantTries times is dropped.
func (w wanted) take(n int) []cid.Cid {
	keys := make([]cid.Cid, 0, len(w))
	for c := range w {
		keys = append(keys, c)
	}
	slices.SortFunc(keys, func(a, b cid.Cid) int { return strings.Compare(a.KeyString(), b.KeyString()) })
	out := keys[:0]
	for _, c := range keys {
		if len(out) == n {
			break
		}
		if w[c]++; w[c] >= wantTries {
			delete(w, c)
		}
		out = append(out, c)
	}
	return out
}

// wantedLinks returns up to n linked CIDs to ask a peer for.
func (w *views) wantedLinks(n int) []cid.Cid {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.want.take(n))
}

// linksAfter follows a sync session p started and this side answered:
// as after a round this side started, links of the entries it stored are
// fetched (in the background: the session's goroutine must not wait on p).
func (n *Node) linksAfter(p peer.ID, st SyncStats) {
	if st.New+st.Forks > 0 && n.views.hasWanted() {
		n.spawn(func(ctx context.Context) { n.fetchLinks(ctx, p) })
	}
}

// hasWanted reports whether a link waits for its block.
func (w *views) hasWanted() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.want) > 0
}

// fetchLinks asks p for blocks that links of held entries name and no
// held block has; what arrives is stored and fed to the views as any
// fetched block is.
func (n *Node) fetchLinks(ctx context.Context, p peer.ID) {
	f, ok := n.repl.(fetcher)
	if !ok {
		return
	}
	cs := n.views.wantedLinks(wantPerRound)
	cs = slices.DeleteFunc(cs, func(c cid.Cid) bool {
		held, err := n.store.Has(c)
		return err != nil || held // held but not joined yet: it comes by its own log
	})
	if len(cs) > 0 {
		_, _ = f.Fetch(overRelay(ctx), p, cs)
	}
}
