package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// Put stores opened blocks in one transaction (see Writer). Put does not
// check signatures: blocks must come from protocol.Open or protocol.Sign.
// It does check that each block's bytes hash to its CID. An error means
// nothing was written.
func (v *Bolt) Put(blocks ...protocol.Block) ([]Result, error) {
	res := make([]Result, 0, len(blocks))
	err := v.update(func(tx *bolt.Tx) error {
		w, err := newWriter(tx, v.opt)
		if err != nil {
			return err
		}
		for _, b := range blocks {
			r, err := w.put(b)
			if err != nil {
				return fmt.Errorf("vault put %s: %w", b.CID, err)
			}
			res = append(res, r)
		}
		return w.flush()
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// writer applies the store's rules inside one write transaction. It keeps
// each author's head and whether the author has pending entries for the
// whole transaction, and writes the heads once, in flush.
type writer struct {
	tx                                         *bolt.Tx
	blocks, logs, heads, pending, forks, index *bolt.Bucket
	names                                      *bolt.Bucket // the authors bucket
	waiting                                    *bolt.Bucket
	authors                                    map[peer.ID]*author
	q                                          Quota
	now                                        func() time.Time
	total                                      waitRec // pending totals, see totals
	totalRead, totalDirty                      bool
	evicted                                    Swept  // what evictions dropped
	last                                       uint32 // the highest author number
	numbered                                   bool   // last is read
	scratch                                    []byte // keys and payloads; bbolt copies keys
	sk                                         []byte // the slot key of the block being put
	arena                                      []byte // values, which bbolt keeps until commit
	fields                                     []indexField
}

// author is what a writer knows of one author's log.
type author struct {
	ak      []byte // key in heads and authors
	num     []byte // number, the prefix of its slot keys
	last    bool   // numbered last (maybe in this transaction): its slot keys come last
	head    Head
	dirty   bool // head changed, not yet in heads
	pending bool // pending may hold entries of this author
	// wait counts the author's pending records, see waitOf.
	wait                waitRec
	waitRead, waitDirty bool
}

func newWriter(tx *bolt.Tx, opt Options) (*writer, error) {
	waiting, err := ensureWaiting(tx, opt.Now().UnixMilli())
	if err != nil {
		return nil, err
	}
	w := &writer{
		tx: tx, blocks: tx.Bucket(bBlocks), logs: tx.Bucket(bLogs), heads: tx.Bucket(bHeads),
		pending: tx.Bucket(bPending), forks: tx.Bucket(bForks), index: tx.Bucket(bIndex),
		names: tx.Bucket(bAuthors), waiting: waiting,
		authors: map[peer.ID]*author{},
		q:       opt.Quota, now: opt.Now,
	}
	w.logs.FillPercent, w.index.FillPercent = 1.0, 1.0 // see join
	return w, nil
}

// author loads what the writer needs to know of a's log. An author the
// vault does not know gets its number: its log is empty, nothing pending.
func (w *writer) author(a peer.ID) (*author, error) {
	if s, ok := w.authors[a]; ok {
		return s, nil
	}
	ak, err := authorKey(a)
	if err != nil {
		return nil, err
	}
	s := &author{ak: ak, head: Head{Author: a}}
	if s.num, err = numberOf(w.names, ak); err != nil {
		return nil, err
	}
	if s.num == nil {
		s.num, err = w.number(a, ak)
	} else {
		s.head, err = readHead(w.heads, ak, a)
		s.pending = hasPrefix(w.pending, s.num)
	}
	if err != nil {
		return nil, err
	}
	if err := w.readLast(); err != nil {
		return nil, err
	}
	s.last = binary.BigEndian.Uint32(s.num) == w.last
	w.authors[a] = s
	return s, nil
}

// flush writes the heads and pending counts that changed.
func (w *writer) flush() error {
	if err := w.flushWaits(); err != nil {
		return err
	}
	for _, s := range w.authors {
		if s.dirty {
			if err := w.heads.Put(s.ak, headValue(s.head)); err != nil {
				return err
			}
			s.dirty = false
		}
	}
	return nil
}

// put stores one block. The slot (author, seq) holds at most one primary
// entry (in logs when joined, in pending when not); any other entry at the
// slot is a fork record. When the slot is past the head and the author has
// nothing pending, the slot is empty and the block cannot be stored yet
// (every stored block has a record at its slot): put skips the lookups.
func (w *writer) put(b protocol.Block) (Result, error) {
	if !sums(b) {
		return Result{}, fmt.Errorf("bytes do not match the CID")
	}
	e := b.Entry
	s, err := w.author(e.Author)
	if err != nil {
		return Result{}, err
	}
	var digest [32]byte
	if digest, w.scratch, err = protocol.DigestOf(b, w.scratch); err != nil {
		return Result{}, err
	}
	res := Result{CID: b.CID, Status: Known}
	w.sk = binary.BigEndian.AppendUint64(append(w.sk[:0], s.num...), e.Seq)
	sk := w.sk
	past := e.Seq > s.head.Seq
	if !past || s.pending {
		if w.blocks.Get(w.key(b.CID)) != nil {
			return res, nil
		}
		if w.holds(sk, digest) {
			if past {
				return res, nil // another block of a pending entry: not kept
			}
			return w.another(b, sk, digest)
		}
	}
	atPending := past && s.pending && w.pending.Get(sk) != nil
	waits := atPending || past && !chains(e, s.head) // a pending record
	if waits {
		if res.Reason = w.admit(s, e, sk, len(b.Data), atPending); res.Reason != nil {
			res.Status = Refused
			return res, nil
		}
	}
	if err := w.blocks.Put(w.key(b.CID), b.Data); err != nil {
		return Result{}, err
	}
	switch {
	case !past || atPending:
		res.Status = Equivocation
		err = w.forks.Put(forkKey(sk, digest), b.CID.Bytes())
	case !waits: // the common case: straight into the log
		res.Status = New
		err = w.join(s, sk, b, digest)
	default:
		res.Status, s.pending = Pending, true
		err = w.pending.Put(sk, w.slotValue(digest, b.CID))
	}
	if err != nil {
		return Result{}, err
	}
	if waits {
		w.count(s, 1, uint64(len(b.Data)))
	}
	if s.pending {
		if res.Joined, err = w.advance(s); err != nil {
			return Result{}, err
		}
	}
	if res.Status != New && len(res.Joined) > 0 && res.Joined[0].Equals(b.CID) {
		res.Status, res.Joined = New, res.Joined[1:] // a fork that took its slot
	}
	if len(res.Joined) == 0 {
		res.Joined = nil
	}
	return res, nil
}

// sums reports whether b's bytes hash to its CID, which must be a CIDv1
// dag-cbor sha2-256 one, as protocol.Sum makes.
func sums(b protocol.Block) bool {
	const prefix = "\x01\x71\x12\x20" // CIDv1, dag-cbor, sha2-256, 32 bytes
	k := b.CID.KeyString()
	if len(k) != len(prefix)+sha256.Size || k[:len(prefix)] != prefix {
		return false
	}
	sum := sha256.Sum256(b.Data)
	return k[len(prefix):] == string(sum[:])
}

// key returns c's binary form in the scratch buffer, valid until the next
// use of scratch: for Get, and for Put, which copies keys.
func (w *writer) key(c cid.Cid) []byte {
	w.scratch = append(w.scratch[:0], c.KeyString()...)
	return w.scratch
}

// holds reports whether an entry with this digest is held at the slot sk.
func (w *writer) holds(sk []byte, digest [32]byte) bool {
	if d := w.logs.Get(sk); d != nil {
		return bytes.Equal(d[:min(32, len(d))], digest[:])
	}
	if p := w.pending.Get(sk); len(p) >= 32 && bytes.Equal(p[:32], digest[:]) {
		return true
	}
	return w.forks.Get(forkKey(sk, digest)) != nil
}

// readHead reads author's head from the heads bucket.
func readHead(heads *bolt.Bucket, ak []byte, author peer.ID) (Head, error) {
	v := heads.Get(ak)
	if v == nil {
		return Head{Author: author}, nil
	}
	return parseHead(author, v)
}

// chains reports whether e continues a log whose head is head.
func chains(e protocol.Entry, head Head) bool {
	if e.Seq != head.Seq+1 {
		return false
	}
	if head.Seq == 0 {
		return !e.Prev.Defined()
	}
	return e.Prev.Equals(head.CID)
}

func (w *writer) block(c cid.Cid) (protocol.Block, error) {
	return decodeBlock(c, w.blocks.Get(c.Bytes()))
}

// join appends blk, at slot sk, to its author's log and indexes it.
func (w *writer) join(s *author, sk []byte, blk protocol.Block, digest [32]byte) error {
	if !s.last {
		w.logs.FillPercent, w.index.FillPercent = logsFill, indexFill
	}
	if err := w.logs.Put(sk, w.slotValue(digest, blk.CID)); err != nil {
		return err
	}
	s.head = Head{Author: blk.Entry.Author, Seq: blk.Entry.Seq, CID: blk.CID, Digest: digest}
	s.dirty = true
	w.fields = indexValues(w.fields[:0], blk.Entry)
	for _, f := range w.fields {
		w.scratch = appendIndexKey(w.scratch[:0], f.field, f.value, sk)
		if err := w.index.Put(w.scratch, empty); err != nil {
			return err
		}
	}
	return nil
}

// The fill of the pages that logs and index split into at commit. Slot
// and index keys grow within an author, so a transaction that only joins
// entries of the author numbered last (a new one, or the vault's own log
// in a home that follows nobody) appends at the end of each key range:
// full pages (1.0) stay full. Entries of other authors land inside the
// ranges, where a full page split off is split again by the next entry of
// an author whose range ends in it, leaving pages of a few keys (a vault
// of 100,000 entries of 1,000 authors had its index pages 36% used with
// 1.0); lower fills leave room for those entries. The values are the best
// of a measurement over 1,000 authors at 10 and 100 entries each
// (docs/PERFORMANCE.md, "Vault on disk").
const (
	logsFill  = 0.9
	indexFill = 0.8
)

// slotValue is the digest|CID record, in the arena.
func (w *writer) slotValue(digest [32]byte, c cid.Cid) []byte {
	k := c.KeyString()
	n := len(digest) + len(k)
	if cap(w.arena)-len(w.arena) < n {
		w.arena = make([]byte, 0, max(n, 64<<10))
	}
	v := append(append(w.arena[len(w.arena):len(w.arena)], digest[:]...), k...)
	w.arena = w.arena[:len(w.arena)+n]
	return v
}

// empty is the value of index keys.
var empty = []byte{}

// another keeps b, a further block of the joined (or forked) entry at sk
// with this digest, as one of its others, up to storage.MaxOthers.
func (w *writer) another(b protocol.Block, sk []byte, digest [32]byte) (Result, error) {
	res := Result{CID: b.CID, Status: Known}
	others, err := w.tx.CreateBucketIfNotExists(bOthers)
	if err != nil {
		return Result{}, err
	}
	prefix := forkKey(sk, digest)
	n := 0
	c := others.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if n++; n >= storage.MaxOthers {
			return res, nil
		}
	}
	if err := w.blocks.Put(w.key(b.CID), b.Data); err != nil {
		return Result{}, err
	}
	if err := others.Put(append(prefix, b.CID.Bytes()...), []byte{}); err != nil {
		return Result{}, err
	}
	res.Status = Another
	return res, nil
}
