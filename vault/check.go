package vault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Check verifies the vault's internal consistency: every log entry's block
// exists, decodes to its slot and chains to the one before; heads match
// the logs; log records carry the entries' digests; every pending, fork and others record
// names a stored block of its slot; every index key points to a joined entry that
// carries the indexed value, and every joined entry is indexed; every
// stored block has exactly one slot record; the pending counts match the
// pending records. It returns the first problem
// found, wrapping ErrCorrupt.
func (v *Bolt) Check() error {
	return v.view(func(tx *bolt.Tx) error {
		c := checker{tx: tx}
		for _, step := range []func() error{c.authors, c.logs, c.heads, c.slots, c.others, c.indexes, c.blocks, c.waiting, c.peers} {
			if err := step(); errors.Is(err, ErrCorrupt) {
				return fmt.Errorf("vault check: %w", err) // it says corrupt already
			} else if err != nil {
				return fmt.Errorf("vault check: %w: %v", ErrCorrupt, err)
			}
		}
		return nil
	})
}

type checker struct {
	tx      *bolt.Tx
	indexed int // index keys the joined entries should have
}

func (c *checker) logs() error {
	var prev Head
	return c.tx.Bucket(bLogs).ForEach(func(k, val []byte) error {
		num, seq, rest, err := splitSeqKey(k)
		if err != nil || len(rest) != 0 {
			return fmt.Errorf("log key %x", k)
		}
		author, err := authorOf(c.tx.Bucket(bAuthors), num)
		if err != nil {
			return err
		}
		digest, _, err := parseSlot(val)
		if err != nil {
			return err
		}
		blk, err := slotBlock(c.tx, val)
		if err != nil {
			return err
		}
		if author != prev.Author {
			prev = Head{Author: author}
		}
		id := blk.ID()
		switch {
		case id.Author != author || id.Seq != seq:
			return fmt.Errorf("log %s/%d holds entry %s/%d", author, seq, id.Author, id.Seq)
		case !chains(blk.Entry, prev):
			return fmt.Errorf("log %s/%d does not chain to seq %d", author, seq, prev.Seq)
		case digest != id.Digest:
			return fmt.Errorf("log %s/%d digest does not match the entry", author, seq)
		}
		c.indexed += len(indexValues(nil, blk.Entry))
		prev = Head{Author: author, Seq: seq, CID: blk.CID, Digest: id.Digest}
		return c.lastOf(k, prev)
	})
}

// lastOf checks the head when k is the author's last log key.
func (c *checker) lastOf(k []byte, h Head) error {
	cur := c.tx.Bucket(bLogs).Cursor()
	cur.Seek(k)
	next, _ := cur.Next()
	if next != nil && bytes.HasPrefix(next, k[:numLen]) {
		return nil
	}
	ak, err := authorKey(h.Author)
	if err != nil {
		return err
	}
	got, err := readHead(c.tx.Bucket(bHeads), ak, h.Author)
	if err != nil {
		return err
	}
	if got != h {
		return fmt.Errorf("head of %s is %d, log ends at %d", h.Author, got.Seq, h.Seq)
	}
	return nil
}

func (c *checker) heads() error {
	return c.tx.Bucket(bHeads).ForEach(func(k, _ []byte) error {
		num, err := numberOf(c.tx.Bucket(bAuthors), k)
		if err != nil {
			return err
		}
		if num == nil || c.tx.Bucket(bLogs).Get(seqKey(num, 1)) == nil {
			return fmt.Errorf("head without log %x", k)
		}
		return nil
	})
}

// slots checks pending and fork records.
func (c *checker) slots() error {
	pend := c.tx.Bucket(bPending).ForEach(func(k, val []byte) error {
		_, pc, err := parseSlot(val)
		if err != nil {
			return err
		}
		return c.inSlot(k, pc.Bytes(), true)
	})
	if pend != nil {
		return pend
	}
	return c.tx.Bucket(bForks).ForEach(func(k, val []byte) error {
		if len(k) != skeyLen+32 {
			return fmt.Errorf("fork key %x", k)
		}
		return c.inSlot(k[:skeyLen], val, false)
	})
}

func (c *checker) inSlot(sk, cidBytes []byte, pending bool) error {
	num, seq, _, err := splitSeqKey(sk)
	if err != nil {
		return err
	}
	author, err := authorOf(c.tx.Bucket(bAuthors), num)
	if err != nil {
		return err
	}
	blk, err := blockAt(c.tx, cidBytes)
	if err != nil {
		return err
	}
	ak, err := authorKey(author)
	if err != nil {
		return err
	}
	head, err := readHead(c.tx.Bucket(bHeads), ak, author)
	switch {
	case err != nil:
		return err
	case blk.Entry.Author != author || blk.Entry.Seq != seq:
		return fmt.Errorf("slot %s/%d holds entry %s/%d", author, seq, blk.Entry.Author, blk.Entry.Seq)
	case pending && seq <= head.Seq:
		return fmt.Errorf("pending %s/%d at or below head %d", author, seq, head.Seq)
	case pending && chains(blk.Entry, head):
		return fmt.Errorf("pending %s/%d chains to the head but did not join", author, seq)
	case !pending && c.tx.Bucket(bLogs).Get(sk) == nil && c.tx.Bucket(bPending).Get(sk) == nil:
		return fmt.Errorf("fork %s/%d has no first entry", author, seq)
	}
	return nil
}

// others checks that every further block record names a stored block of
// its slot's entry: same author, seq and payload digest, at or below the
// author's head.
func (c *checker) others() error {
	b := c.tx.Bucket(bOthers)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, _ []byte) error {
		if len(k) <= skeyLen+32 {
			return fmt.Errorf("others key %x", k)
		}
		num, seq, _, err := splitSeqKey(k[:skeyLen])
		if err != nil {
			return err
		}
		author, err := authorOf(c.tx.Bucket(bAuthors), num)
		if err != nil {
			return err
		}
		blk, err := blockAt(c.tx, k[skeyLen+32:])
		if err != nil {
			return err
		}
		id := blk.ID()
		if id.Author != author || id.Seq != seq || !bytes.Equal(id.Digest[:], k[skeyLen:skeyLen+32]) {
			return fmt.Errorf("others record %s/%d names block %s of %s/%d", author, seq, blk.CID, id.Author, id.Seq)
		}
		return nil
	})
}

// authors checks that the authors bucket is a bijection between the
// authors and distinct numbers from 1 up (a dropped author leaves a hole),
// and that every numbered author has a record in logs, pending or forks.
func (c *checker) authors() error {
	b := c.tx.Bucket(bAuthors)
	keys, n := b.Stats().KeyN, 0
	err := b.ForEach(func(k, num []byte) error {
		if k[0] == 0 {
			n++
			return nil
		}
		if len(k) != 1+int(k[0]) || len(num) != numLen {
			return fmt.Errorf("author key %x -> %x", k, num)
		}
		a, err := authorOf(b, num)
		if err != nil || string(a) != string(k[1:]) {
			return fmt.Errorf("author %x is number %x, which names %x", k[1:], num, a)
		}
		if binary.BigEndian.Uint32(num) == 0 {
			return fmt.Errorf("author number 0")
		}
		if !hasPrefix(c.tx.Bucket(bLogs), num) && !hasPrefix(c.tx.Bucket(bPending), num) && !hasPrefix(c.tx.Bucket(bForks), num) {
			return fmt.Errorf("author %x has no entry", k[1:])
		}
		return nil
	})
	if err == nil && 2*n != keys {
		err = fmt.Errorf("%d author numbers for %d authors", n, keys-n)
	}
	return err
}

func (c *checker) indexes() error {
	n := 0
	err := c.tx.Bucket(bIndex).ForEach(func(k, val []byte) error {
		n++
		field, value, sk, err := splitIndexKey(k)
		if err != nil || len(val) != 0 {
			return fmt.Errorf("index key %q", k)
		}
		rec := c.tx.Bucket(bLogs).Get(sk)
		if rec == nil {
			return fmt.Errorf("index key %q names no joined entry", k)
		}
		blk, err := slotBlock(c.tx, rec)
		if err != nil {
			return err
		}
		if !slices.Contains(indexValues(nil, blk.Entry), indexField{field, value}) {
			return fmt.Errorf("index %c %q does not fit entry %s", field, value, blk.CID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n != c.indexed {
		return fmt.Errorf("%d index keys, joined entries need %d", n, c.indexed)
	}
	return nil
}

// blocks checks that every stored block has exactly one slot record.
func (c *checker) blocks() error {
	n := func(name []byte) int { return c.tx.Bucket(name).Stats().KeyN }
	blocks, slots := n(bBlocks), n(bLogs)+n(bPending)+n(bForks)
	if o := c.tx.Bucket(bOthers); o != nil {
		slots += o.Stats().KeyN
	}
	if blocks != slots {
		return fmt.Errorf("%d blocks, %d log, pending, fork and others records", blocks, slots)
	}
	return nil
}

// waiting checks that each author's waiting record and the totals in meta
// count its pending records: pending primaries and forks past its head.
func (c *checker) waiting() error {
	b := c.tx.Bucket(bWaiting)
	if b == nil {
		return nil // made before pending counts; the next write counts them
	}
	want, total := map[string]waitRec{}, waitRec{}
	add := func(num, cidBytes []byte) {
		r, size := want[string(num)], uint64(len(c.tx.Bucket(bBlocks).Get(cidBytes)))
		r.count, r.bytes = r.count+1, r.bytes+size
		total.count, total.bytes = total.count+1, total.bytes+size
		want[string(num)] = r
	}
	pending := c.tx.Bucket(bPending)
	err := pending.ForEach(func(k, v []byte) error {
		cb, err := slotCID(v)
		add(k[:numLen], cb)
		return err
	})
	if err != nil {
		return err
	}
	c.tx.Bucket(bForks).ForEach(func(k, v []byte) error {
		if pending.Get(k[:skeyLen]) != nil {
			add(k[:numLen], v)
		}
		return nil
	})
	n := 0
	err = b.ForEach(func(k, v []byte) error {
		n++
		got, w := parseWait(v), want[string(k)]
		if got.count != w.count || got.bytes != w.bytes {
			return fmt.Errorf("author %x counts %d pending records of %d bytes, holds %d of %d", k, got.count, got.bytes, w.count, w.bytes)
		}
		return nil
	})
	if err == nil && n != len(want) {
		err = fmt.Errorf("%d waiting records for %d authors with pending records", n, len(want))
	}
	if err != nil {
		return err
	}
	v := c.tx.Bucket(bMeta).Get(metaPending)
	if (total.count > 0 || v != nil) && (len(v) != 16 || binary.BigEndian.Uint64(v) != total.count || binary.BigEndian.Uint64(v[8:]) != total.bytes) {
		return fmt.Errorf("pending totals %x, records hold %d of %d bytes", v, total.count, total.bytes)
	}
	return nil
}
