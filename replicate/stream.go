package replicate

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// batchSize is the most blocks in one message; a message also stays under
// budget bytes.
const batchSize = 64

// push streams the planned logs, the fork entries the peer lacks and the
// echoes (this side's entries at slots where the peer's entry forked), as
// one turn of block messages.
func (se *session) push(pushes []Push, forks []cid.Cid) error {
	b := &batcher{se: se}
	for _, p := range pushes {
		if err := se.pushLog(b, p); err != nil {
			return err
		}
	}
	for _, c := range forks {
		blk, err := se.svc.store.Get(c)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read fork %s: %w", c, err)
		}
		if err := b.add(blk); err != nil {
			return err
		}
	}
	for _, sl := range se.echoes {
		blks, err := se.svc.store.Log(sl.author, sl.seq, 1)
		if err != nil {
			return fmt.Errorf("read log of %s: %w", sl.author, err)
		}
		for _, blk := range blks {
			if err := b.add(blk); err != nil {
				return err
			}
		}
	}
	se.echoes = nil
	return b.flush(false)
}

// pushLog streams author's log from p.From (or p.Check on a fork).
func (se *session) pushLog(b *batcher, p Push) error {
	store := se.svc.store
	from := p.From
	if p.Check > 0 {
		at, err := store.Log(p.Author, p.Check, 1)
		if err != nil {
			return fmt.Errorf("read log of %s: %w", p.Author, err)
		}
		if len(at) == 1 && !bytes.Equal(digestPrefix(at[0]), p.Want) {
			from = p.Check
		}
	}
	for {
		blks, err := store.Log(p.Author, from, batchSize)
		if err != nil {
			return fmt.Errorf("read log of %s: %w", p.Author, err)
		}
		for _, blk := range blks {
			if err := b.add(blk); err != nil {
				return err
			}
		}
		if len(blks) < batchSize {
			return nil
		}
		from = blks[len(blks)-1].Entry.Seq + 1
	}
}

// batcher packs blocks into messages.
type batcher struct {
	se   *session
	cur  [][]byte
	size int
}

func (b *batcher) add(blk protocol.Block) error {
	se := b.se
	if se.sent[blk.CID] {
		return nil
	}
	if c := se.svc.cutAfter; c > 0 && se.stats.Sent == c {
		if err := b.flush(true); err != nil {
			return err
		}
		return errCut
	}
	if len(b.cur) == batchSize || b.size+len(blk.Data) > budget {
		if err := b.flush(true); err != nil {
			return err
		}
	}
	se.sent[blk.CID] = true
	se.slots[slot{blk.Entry.Author, blk.Entry.Seq}] = true
	se.stats.Sent++
	b.cur, b.size = append(b.cur, blk.Data), b.size+len(blk.Data)
	return nil
}

func (b *batcher) flush(more bool) error {
	if len(b.cur) == 0 && more {
		return nil
	}
	err := writeMsg(b.se.w, message{B: b.cur, M: more})
	b.cur, b.size = nil, 0
	return err
}

func digestPrefix(b protocol.Block) []byte {
	d := b.ID().Digest
	return d[:hashSize]
}
