package mem

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

var errSum = errors.New("bytes do not match the CID")

// Put stores opened blocks, all or none (see storage.Writer). It checks
// that each block's bytes hash to its CID, not signatures.
func (s *Store) Put(blocks ...protocol.Block) ([]storage.Result, error) {
	digests := make([][32]byte, len(blocks))
	for i, b := range blocks {
		if !protocol.Sum(b.Data).Equals(b.CID) {
			return nil, fmt.Errorf("mem put %s: %w", b.CID, errSum)
		}
		id, err := protocol.IDOf(b.Entry)
		if err != nil {
			return nil, fmt.Errorf("mem put %s: %w", b.CID, err)
		}
		digests[i] = id.Digest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res := make([]storage.Result, len(blocks))
	for i, b := range blocks {
		res[i] = s.put(b, digests[i])
	}
	return res, nil
}

// put stores one block under the rules of vault.Bolt: one primary per slot
// (joined, or pending past a gap), any other entry there a fork record.
func (s *Store) put(b protocol.Block, digest [32]byte) storage.Result {
	e := b.Entry
	a := s.author(e.Author)
	res := storage.Result{CID: b.CID, Status: storage.Known}
	past := e.Seq > a.head.Seq
	if _, ok := s.blocks[b.CID]; ok {
		return res
	}
	if a.holds(e.Seq, digest) {
		id := protocol.ID{Author: e.Author, Seq: e.Seq, Digest: digest}
		if past || len(s.others[id]) >= storage.MaxOthers {
			return res
		}
		s.blocks[b.CID] = b
		s.others[id] = append(s.others[id], b.CID)
		res.Status = storage.Another
		return res
	}
	_, atPending := a.pending[e.Seq]
	atPending = atPending && past
	waits := atPending || past && !chains(e, a.head)
	if waits {
		if res.Reason = s.admit(a, e, atPending); res.Reason != nil {
			res.Status = storage.Refused
			return res
		}
		a.waiting++
		s.waiting++
	}
	s.blocks[b.CID] = b
	r := rec{digest, b.CID}
	switch {
	case !past || atPending:
		res.Status = storage.Equivocation
		a.fork(e.Seq, r)
	case !waits:
		res.Status = storage.New
		a.join(r, e)
	default:
		res.Status = storage.Pending
		a.pending[e.Seq] = r
	}
	if len(a.pending) > 0 {
		res.Joined = s.advance(a)
	}
	if res.Status != storage.New && len(res.Joined) > 0 && res.Joined[0].Equals(b.CID) {
		res.Status, res.Joined = storage.New, res.Joined[1:] // a fork that took its slot
	}
	if len(res.Joined) == 0 {
		res.Joined = nil
	}
	return res
}

// holds reports whether an entry with this digest is held at slot seq.
func (a *author) holds(seq uint64, digest [32]byte) bool {
	if seq >= 1 && seq <= uint64(len(a.log)) {
		if a.log[seq-1].digest == digest {
			return true
		}
	} else if p, ok := a.pending[seq]; ok && p.digest == digest {
		return true
	}
	_, ok := a.forks[seq][digest]
	return ok
}

// admit returns why e, which would wait as a pending record, is refused.
func (s *Store) admit(a *author, e protocol.Entry, atPending bool) error {
	switch {
	case e.Seq-a.head.Seq > Ahead:
		return storage.ErrAhead
	case atPending && chains(e, a.head):
		return nil // it joins at once
	case atPending && len(a.forks[e.Seq]) > 0:
		return storage.ErrSlotFull
	case a.waiting >= PerAuthor:
		return storage.ErrAuthorQuota
	case s.waiting >= Total:
		return storage.ErrPendingFull
	}
	return nil
}

func (a *author) fork(seq uint64, r rec) {
	m := a.forks[seq]
	if m == nil {
		m = map[[32]byte]cid.Cid{}
		a.forks[seq] = m
	}
	m[r.digest] = r.cid
}

func (a *author) join(r rec, e protocol.Entry) {
	a.log = append(a.log, r)
	a.head = storage.Head{Author: e.Author, Seq: e.Seq, CID: r.cid, Digest: r.digest}
}

// advance joins entries while the slot after the head holds one that
// chains to it: the pending primary, else the first fork record by digest
// that chains, which takes the slot from the primary.
func (s *Store) advance(a *author) []cid.Cid {
	var joined []cid.Cid
	for {
		seq := a.head.Seq + 1
		p, ok := a.pending[seq]
		if !ok {
			return joined
		}
		next, ok := s.candidate(a, seq, p)
		if !ok {
			return joined
		}
		n := 1 + len(a.forks[seq])
		a.waiting -= n
		s.waiting -= n
		delete(a.pending, seq)
		a.join(next, s.blocks[next.cid].Entry)
		joined = append(joined, next.cid)
	}
}

// candidate returns the entry at slot seq (primary p) that chains to the
// head, swapping a chaining fork record with the primary.
func (s *Store) candidate(a *author, seq uint64, p rec) (rec, bool) {
	if chains(s.blocks[p.cid].Entry, a.head) {
		return p, true
	}
	m := a.forks[seq]
	ds := slices.SortedFunc(maps.Keys(m), func(x, y [32]byte) int { return bytes.Compare(x[:], y[:]) })
	for _, d := range ds {
		if !chains(s.blocks[m[d]].Entry, a.head) {
			continue
		}
		next := rec{d, m[d]}
		delete(m, d)
		m[p.digest] = p.cid
		return next, true
	}
	return rec{}, false
}

// chains reports whether e continues a log whose head is head.
func chains(e protocol.Entry, head storage.Head) bool {
	if e.Seq != head.Seq+1 {
		return false
	}
	if head.Seq == 0 {
		return !e.Prev.Defined()
	}
	return e.Prev.Equals(head.CID)
}

// Append signs e as the next entry of key's log and stores it: Seq and
// Prev from the head, Time now when 0. It fails with ErrBehind while the
// store holds entries of key's log past its head.
func (s *Store) Append(key crypto.PrivKey, e protocol.Entry) (protocol.Block, error) {
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("mem append: %w", err)
	}
	if e.Time == 0 {
		e.Time = s.now().UnixMilli()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.author(id)
	if len(a.pending) > 0 {
		return protocol.Block{}, fmt.Errorf("mem append: %w", storage.ErrBehind)
	}
	e.Seq, e.Prev = a.head.Seq+1, a.head.CID
	blk, err := protocol.Sign(key, e)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("mem append: %w", err)
	}
	id2, err := protocol.IDOf(blk.Entry)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("mem append: %w", err)
	}
	if r := s.put(blk, id2.Digest); r.Status != storage.New {
		return protocol.Block{}, fmt.Errorf("mem append: seq %d stored as %s", e.Seq, r.Status)
	}
	return blk, nil
}
