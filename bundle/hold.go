package bundle

import (
	"errors"
	"slices"
	"sync/atomic"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// importer is one run of ImportWith: the report so far and the entries
// held for naming a MIP that may yet come in the bundle.
type importer struct {
	check  Check
	put    Put
	judged func(protocol.Block, protocol.Verdict)
	rep    Report

	held      []opened
	heldBytes int
	// mips counts the puts that stored MIP entries (or joined pending
	// ones); the reading goroutine reads it.
	mips atomic.Uint64
}

// chunk stores the accepted entries of an opened chunk and holds or
// counts the others. A verdict of an unknown MIP taken before a put
// stored a MIP entry is taken again first.
func (im *importer) chunk(r read) error {
	batch := make([]protocol.Block, 0, len(r.blocks))
	stale := r.mips != im.mips.Load()
	for i, o := range r.opened {
		if stale && o.b.Data != nil && errors.Is(o.v.Reason, mip.ErrUnknownMIP) {
			o.v = im.check(o.b)
		}
		switch {
		case o.v.Outcome == protocol.Accept:
			batch = append(batch, o.b)
		case o.b.Data != nil && im.hold(o):
		case o.b.Data != nil:
			im.reject(o)
		default: // did not open
			im.rep.judge(r.blocks[i].Cid(), o.v)
		}
	}
	return im.store(batch)
}

// hold keeps o to judge again if it names an unknown MIP and there is room.
func (im *importer) hold(o opened) bool {
	if !errors.Is(o.v.Reason, mip.ErrUnknownMIP) || im.heldBytes+len(o.b.Data) > MaxHeld {
		return false
	}
	im.held = append(im.held, o)
	im.heldBytes += len(o.b.Data)
	return true
}

// reject counts an opened block check did not accept.
func (im *importer) reject(o opened) {
	im.rep.judge(o.b.CID, o.v)
	if im.judged != nil {
		im.judged(o.b, o.v)
	}
}

// store puts batch, BatchSize entries per call; each time that stores a
// mip entry (or joins pending ones, which may be mip entries) the held
// entries are judged again and the accepted ones stored in turn.
func (im *importer) store(batch []protocol.Block) error {
	for len(batch) > 0 {
		grew := false
		for part := range slices.Chunk(batch, BatchSize) {
			res, err := im.put(part...)
			if err != nil {
				return err
			}
			im.rep.count(res)
			if mipStored(part, res) {
				grew = true
				im.mips.Add(1)
			}
		}
		batch = nil
		if grew {
			batch = im.retry()
		}
	}
	return nil
}

// mipStored reports whether a put stored a mip entry or joined pending
// entries.
func mipStored(blocks []protocol.Block, res []vault.Result) bool {
	for i, r := range res {
		if len(r.Joined) > 0 {
			return true
		}
		if i < len(blocks) && blocks[i].Entry.Kind == protocol.KindMIP &&
			(r.Status == vault.New || r.Status == vault.Equivocation) {
			return true
		}
	}
	return false
}

// retry judges the held entries again and returns those now accepted.
func (im *importer) retry() []protocol.Block {
	var ok []protocol.Block
	keep := im.held[:0]
	for _, o := range im.held {
		if o.v = im.check(o.b); o.v.Outcome == protocol.Accept {
			ok = append(ok, o.b)
			im.heldBytes -= len(o.b.Data)
		} else {
			keep = append(keep, o)
		}
	}
	clear(im.held[len(keep):])
	im.held = keep
	return ok
}

// release judges what is still held at the end of the bundle.
func (im *importer) release() {
	for _, o := range im.held {
		im.reject(o)
	}
	im.held, im.heldBytes = nil, 0
}
