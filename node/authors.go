package node

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// ErrNewAuthors is the reason an entry of an author new to the vault is
// refused: its sender, or all peers together, brought the most new authors
// the window allows.
var ErrNewAuthors = errors.New("new-author quota of the window reached")

// newAuthors limits authors the vault holds no entry of, first seen from
// remote peers: at most perPeer from one peer and total from all peers in
// each fixed window. Authors already held, entries from this node and
// bundle imports are not limited.
type newAuthors struct {
	perPeer, total int
	window         time.Duration
	exempt         map[peer.ID]bool // peers named in the configuration

	mu     sync.Mutex
	start  time.Time
	byPeer map[peer.ID]int
	all    int
}

func newNewAuthors(cfg Config) *newAuthors {
	q := &newAuthors{perPeer: cfg.NewAuthorsPerPeer, total: cfg.NewAuthorsTotal, window: cfg.NewAuthorsWindow,
		exempt: map[peer.ID]bool{}, byPeer: map[peer.ID]int{}}
	for _, p := range append(cfg.Bootstrap, cfg.Relays...) {
		q.exempt[p.ID] = true
	}
	return q
}

// take reserves one new author from peer from ("" when the peer is not
// known: only the total applies) and reports whether it fits.
func (q *newAuthors) take(from peer.ID, now time.Time) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if now.Sub(q.start) >= q.window {
		q.start, q.all = now, 0
		clear(q.byPeer)
	}
	if q.exempt[from] {
		return true
	}
	if q.all >= q.total || from != "" && q.byPeer[from] >= q.perPeer {
		return false
	}
	q.all++
	if from != "" {
		q.byPeer[from]++
	}
	return true
}

// authorHolder is a store that tells whether it holds any entry of an
// author; *vault.Bolt is one.
type authorHolder interface {
	HasAuthor(peer.ID) (bool, error)
}

// admit splits blocks from a remote peer into those to store and the
// results of those refused for the new-author quota (refused[i] set).
func (n *Node) admit(from peer.ID, blocks []protocol.Block) (keep []protocol.Block, refused []vault.Result, err error) {
	refused = make([]vault.Result, len(blocks))
	decided := map[peer.ID]bool{}
	now := time.Now()
	for i, b := range blocks {
		a := b.Entry.Author
		ok, seen := decided[a]
		if !seen {
			if ok, err = n.holds(a); err != nil {
				return nil, nil, err
			}
			ok = ok || n.newAuthors().take(from, now)
			decided[a] = ok
		}
		if !ok {
			refused[i] = vault.Result{CID: b.CID, Status: vault.Refused, Reason: ErrNewAuthors}
			continue
		}
		keep = append(keep, b)
	}
	return keep, refused, nil
}

// holds reports whether the vault holds an entry of author a.
func (n *Node) holds(a peer.ID) (bool, error) {
	if a == n.host.ID() {
		return true, nil
	}
	if h, ok := n.store.(authorHolder); ok {
		return h.HasAuthor(a)
	}
	head, err := n.store.Head(a)
	return head.Seq > 0, err
}

// quotaStore is the store sync sessions write to: puts pass the new-author
// quota first. Put applies the total only; PutFrom, for a session that
// names its peer, the per-peer quota too.
type quotaStore struct {
	vault.Store
	n *Node
}

func (s quotaStore) Put(blocks ...protocol.Block) ([]vault.Result, error) {
	return s.n.putAdmitted("", s.Store.Put, blocks)
}

// PutFrom is Put for blocks that peer from sent.
func (s quotaStore) PutFrom(from peer.ID, blocks ...protocol.Block) ([]vault.Result, error) {
	return s.n.putAdmitted(from, s.Store.Put, blocks)
}

// putAdmitted puts the blocks that pass the new-author quota with put and
// returns one result per block, refused ones included.
func (n *Node) putAdmitted(from peer.ID, put func(...protocol.Block) ([]vault.Result, error), blocks []protocol.Block) ([]vault.Result, error) {
	keep, out, err := n.admit(from, blocks)
	if err != nil || len(keep) == 0 {
		return out, err
	}
	rs, err := put(keep...)
	if err != nil {
		return nil, err
	}
	for i, j := 0, 0; i < len(out); i++ {
		if out[i].Status != vault.Refused {
			out[i], j = rs[j], j+1
		}
	}
	return out, nil
}

// Heads is the version vector sync sessions offer. A restored vault
// withholds its own log until a peer confirms its head (restored.go): a
// peer that learnt the log from this vault would otherwise confirm the
// head back to it, confirming nothing.
func (s quotaStore) Heads() ([]vault.Head, error) {
	hs, err := s.Store.Heads()
	if err != nil || !s.n.self.isRestored() {
		return hs, err
	}
	me := s.n.host.ID()
	return slices.DeleteFunc(hs, func(h vault.Head) bool { return h.Author == me }), nil
}

// Log reads an author's log for sync sessions; a restored vault's own log
// reads empty until a peer confirms its head (see Heads).
func (s quotaStore) Log(author peer.ID, from uint64, limit int) ([]protocol.Block, error) {
	if author == s.n.host.ID() && s.n.self.isRestored() {
		return nil, nil
	}
	return s.Store.Log(author, from, limit)
}
