package replicate

import (
	"sync"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	mycel "github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// quotaVault admits the entries of at most limit authors per sending
// peer, as a node's new-author quota does, and refuses the rest.
type quotaVault struct {
	vault.Store
	limit int

	mu      sync.Mutex
	authors map[peer.ID]map[peer.ID]bool
}

func (q *quotaVault) PutFrom(from peer.ID, blocks ...mycel.Block) ([]vault.Result, error) {
	q.mu.Lock()
	var ok []mycel.Block
	admitted := make([]bool, len(blocks))
	for i, b := range blocks {
		seen := q.authors[from]
		if seen == nil {
			seen = map[peer.ID]bool{}
			q.authors[from] = seen
		}
		if seen[b.Entry.Author] || len(seen) < q.limit {
			seen[b.Entry.Author], admitted[i] = true, true
			ok = append(ok, b)
		}
	}
	q.mu.Unlock()
	stored, err := q.Store.Put(ok...)
	if err != nil {
		return nil, err
	}
	out := make([]vault.Result, len(blocks))
	for i, b := range blocks {
		if admitted[i] {
			out[i], stored = stored[0], stored[1:]
		} else {
			out[i] = vault.Result{CID: b.CID, Status: vault.Refused}
		}
	}
	return out, nil
}

var _ FromStore = (*quotaVault)(nil)

// TestSyncAccountsToSender: a store that accounts blocks to their sender
// (FromStore) hears the session's peer, whichever side started it, and
// what it refuses is counted apart and announced to no one.
func TestSyncAccountsToSender(t *testing.T) {
	src := newPeer(t)
	for range 10 {
		publish(t, src.v, vaulttest.NewAuthor(t), 2)
	}
	dst := newPeer(t)
	q := &quotaVault{Store: dst.v, limit: 4, authors: map[peer.ID]map[peer.ID]bool{}}
	stored := 0
	dst.svc.Close()
	dst.svc = New(dst.h, q, Config{OnStored: func(peer.ID, mycel.Block, vault.Result) { stored++ }})
	connect(t, dst.h, src.h)
	st, err := dst.svc.Sync(t.Context(), src.h.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(q.authors[src.h.ID()]); got != 4 {
		t.Errorf("the store admitted %d authors from the sender, want 4", got)
	}
	if st.New != 8 || st.Refused != 12 || stored != 8 {
		t.Errorf("new %d, refused %d, announced %d; want 8, 12, 8", st.New, st.Refused, stored)
	}
}
