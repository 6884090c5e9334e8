package mem

import (
	"cmp"
	"crypto/sha256"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// Limits on entries waiting past a gap, as vault.Quota's defaults; a store
// in memory never sweeps or evicts.
const (
	Ahead     = 1024  // seqs past the head (storage.ErrAhead)
	PerAuthor = 256   // pending records of one author (storage.ErrAuthorQuota)
	Total     = 16384 // pending records in all (storage.ErrPendingFull)
)

var _ storage.Store = (*Store)(nil)

// Store is an entry store in memory, safe for concurrent use. The zero
// value is not usable: see New.
type Store struct {
	key crypto.PrivKey
	id  peer.ID
	now func() time.Time

	mu      sync.Mutex
	blocks  map[cid.Cid]protocol.Block
	authors map[peer.ID]*author
	waiting int                       // pending records in all
	others  map[protocol.ID][]cid.Cid // further blocks of joined entries (storage.Another)
}

// rec is one entry at a slot: its identity digest and CID.
type rec struct {
	digest [32]byte
	cid    cid.Cid
}

// author is one author's log: joined entries (log[i] at seq i+1), pending
// primaries past the head, and fork records at any slot.
type author struct {
	log     []rec
	head    storage.Head
	pending map[uint64]rec
	forks   map[uint64]map[[32]byte]cid.Cid
	waiting int // pending records: pending primaries and forks at their slots
}

// New returns an empty store whose identity is key (nil: a store with no
// identity, enough for the contract but not for node.New).
func New(key crypto.PrivKey) *Store {
	s := &Store{key: key, now: time.Now, blocks: map[cid.Cid]protocol.Block{}, authors: map[peer.ID]*author{}, others: map[protocol.ID][]cid.Cid{}}
	if key != nil {
		s.id, _ = peer.IDFromPrivateKey(key)
	}
	return s
}

// Key returns the identity key.
func (s *Store) Key() crypto.PrivKey { return s.key }

// ID returns the identity's peer ID.
func (s *Store) ID() peer.ID { return s.id }

// Clone returns a copy of s that shares nothing mutable with it.
func (s *Store) Clone() *Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &Store{key: s.key, id: s.id, now: s.now, blocks: maps.Clone(s.blocks), authors: map[peer.ID]*author{}, waiting: s.waiting, others: map[protocol.ID][]cid.Cid{}}
	for id, cs := range s.others {
		c.others[id] = slices.Clone(cs)
	}
	for id, a := range s.authors {
		fs := make(map[uint64]map[[32]byte]cid.Cid, len(a.forks))
		for seq, m := range a.forks {
			fs[seq] = maps.Clone(m)
		}
		c.authors[id] = &author{log: slices.Clone(a.log), head: a.head, pending: maps.Clone(a.pending), forks: fs, waiting: a.waiting}
	}
	return c
}

func (s *Store) author(id peer.ID) *author {
	a, ok := s.authors[id]
	if !ok {
		a = &author{head: storage.Head{Author: id}, pending: map[uint64]rec{}, forks: map[uint64]map[[32]byte]cid.Cid{}}
		s.authors[id] = a
	}
	return a
}

// sortedAuthors returns the author IDs in order.
func (s *Store) sortedAuthors() []peer.ID {
	ids := slices.Collect(maps.Keys(s.authors))
	slices.SortFunc(ids, func(a, b peer.ID) int { return strings.Compare(string(a), string(b)) })
	return ids
}

// Digest returns sha2-256 over the sorted binary CIDs of every stored
// entry, as vault.Bolt's Digest: equal for equal entry sets.
func (s *Store) Digest() [32]byte {
	s.mu.Lock()
	keys := make([]string, 0, len(s.blocks))
	for c := range s.blocks {
		keys = append(keys, c.KeyString())
	}
	s.mu.Unlock()
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k))
	}
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// Count returns the number of joined entries.
func (s *Store) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range s.authors {
		n += len(a.log)
	}
	return n
}

// HasAuthor reports whether the store holds any entry of id.
func (s *Store) HasAuthor(id peer.ID) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.authors[id]
	return ok && (len(a.log) > 0 || len(a.pending) > 0), nil
}

func forkOrder(a, b storage.Fork) int {
	return cmp.Or(strings.Compare(string(a.Author), string(b.Author)), cmp.Compare(a.Seq, b.Seq))
}
