package mem

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// Get returns the block with CID c, or an error wrapping ErrNotFound.
func (s *Store) Get(c cid.Cid) (protocol.Block, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.blocks[c]
	if !ok {
		return protocol.Block{}, fmt.Errorf("block %s: %w", c, storage.ErrNotFound)
	}
	return b, nil
}

// Has reports whether the block with CID c is stored, joined or not.
func (s *Store) Has(c cid.Cid) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.blocks[c]
	return ok, nil
}

// Heads returns one Head per author with a joined entry, by author.
func (s *Store) Heads() ([]storage.Head, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var hs []storage.Head
	for _, id := range s.sortedAuthors() {
		if h := s.authors[id].head; h.Seq > 0 {
			hs = append(hs, h)
		}
	}
	return hs, nil
}

// Head returns author's head; a zero Head when none is joined.
func (s *Store) Head(id peer.ID) (storage.Head, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.authors[id]; ok {
		return a.head, nil
	}
	return storage.Head{Author: id}, nil
}

// Log returns author's joined entries from seq from, at most limit.
func (s *Store) Log(id peer.ID, from uint64, limit int) ([]protocol.Block, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.authors[id]
	if !ok {
		return nil, nil
	}
	var out []protocol.Block
	for seq := max(from, 1); seq <= uint64(len(a.log)) && (limit <= 0 || len(out) < limit); seq++ {
		out = append(out, s.blocks[a.log[seq-1].cid])
	}
	return out, nil
}

// Query returns the joined entries matching q, ordered by author then seq.
func (s *Store) Query(q storage.Query) ([]protocol.Block, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []protocol.Block
	for _, id := range s.sortedAuthors() {
		if q.Author != "" && id != q.Author {
			continue
		}
		for _, r := range s.authors[id].log {
			if b := s.blocks[r.cid]; q.Matches(b) {
				out = append(out, b)
			}
		}
	}
	return out, nil
}

// Forks returns every equivocation record, by author, seq and digest.
func (s *Store) Forks() ([]storage.Fork, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var fs []storage.Fork
	for id, a := range s.authors {
		for seq, m := range a.forks {
			first := a.primary(seq)
			ds := slices.SortedFunc(maps.Keys(m), func(x, y [32]byte) int { return bytes.Compare(x[:], y[:]) })
			for _, d := range ds {
				fs = append(fs, storage.Fork{Author: id, Seq: seq, First: first.cid, Second: m[d]})
			}
		}
	}
	slices.SortStableFunc(fs, forkOrder)
	return fs, nil
}

// Others returns the CIDs of the further blocks held of joined entries,
// by author, seq and digest.
func (s *Store) Others() ([]cid.Cid, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := slices.SortedFunc(maps.Keys(s.others), func(x, y protocol.ID) int {
		if c := strings.Compare(string(x.Author), string(y.Author)); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Seq, y.Seq); c != 0 {
			return c
		}
		return bytes.Compare(x.Digest[:], y.Digest[:])
	})
	var cs []cid.Cid
	for _, id := range ids {
		cs = append(cs, s.others[id]...)
	}
	return cs, nil
}

// primary returns the entry holding slot seq: joined or pending.
func (a *author) primary(seq uint64) rec {
	if seq >= 1 && seq <= uint64(len(a.log)) {
		return a.log[seq-1]
	}
	return a.pending[seq]
}

// Waiting returns the CIDs of author's pending primaries, by seq.
func (s *Store) Waiting(id peer.ID) ([]cid.Cid, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.authors[id]
	if !ok {
		return nil, nil
	}
	var out []cid.Cid
	for _, seq := range slices.Sorted(maps.Keys(a.pending)) {
		out = append(out, a.pending[seq].cid)
	}
	return out, nil
}

// QueryPage returns a page of Query's results, which are in author then
// seq order; the cursor is the last entry's author and seq.
func (s *Store) QueryPage(q storage.Query, after string, limit int) (storage.Page, error) {
	all, err := s.Query(q)
	if err != nil {
		return storage.Page{}, err
	}
	start := 0
	if after != "" {
		b, err := base64.RawURLEncoding.DecodeString(after)
		if len(after) > storage.MaxCursor || err != nil || len(b) < 9 {
			return storage.Page{}, storage.ErrBadCursor
		}
		author, seq := peer.ID(b[8:]), binary.BigEndian.Uint64(b[:8])
		start = len(all)
		for i, blk := range all {
			if e := blk.Entry; e.Author > author || e.Author == author && e.Seq > seq {
				start = i
				break
			}
		}
	}
	end := min(len(all), start+storage.PageSize(limit))
	page := storage.Page{Blocks: all[start:end]}
	if end < len(all) {
		e := all[end-1].Entry
		page.Next = base64.RawURLEncoding.EncodeToString(append(binary.BigEndian.AppendUint64(nil, e.Seq), e.Author...))
	}
	return page, nil
}
