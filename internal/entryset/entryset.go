package entryset

import (
	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Entry is one entry with every block of it given.
type Entry struct {
	Blocks []*settle.Record
	CID    cid.Cid // the smallest CID among Blocks
}

// Rec returns a block of the entry; every block has the same entry
// fields and body.
func (e *Entry) Rec() *settle.Record { return e.Blocks[0] }

// ID returns the entry's identity.
func (e *Entry) ID() protocol.ID { return e.Blocks[0].ID }

// Index is the blocks given, by CID and by entry. The zero value is not
// usable; call New.
type Index struct {
	IDs     map[cid.Cid]protocol.ID // every block given
	Entries map[protocol.ID]*Entry
}

// New returns an empty index.
func New() Index {
	return Index{IDs: map[cid.Cid]protocol.ID{}, Entries: map[protocol.ID]*Entry{}}
}

// Add gives r to the index. It returns r's entry, whether r is its first
// block (the entry is new to the index), and false for given when r's
// block was given before (nothing changed).
func (x Index) Add(r *settle.Record) (e *Entry, first, given bool) {
	if _, held := x.IDs[r.CID]; held {
		return nil, false, true
	}
	x.IDs[r.CID] = r.ID
	if e, held := x.Entries[r.ID]; held {
		e.Blocks = append(e.Blocks, r)
		if r.CID.KeyString() < e.CID.KeyString() {
			e.CID = r.CID
		}
		return e, false, false
	}
	e = &Entry{Blocks: []*settle.Record{r}, CID: r.CID}
	x.Entries[r.ID] = e
	return e, true, false
}

// Named returns the entry a link names (any block of it), if held.
func (x Index) Named(link cid.Cid) (*Entry, bool) {
	id, ok := x.IDs[link]
	if !ok {
		return nil, false
	}
	return x.Entries[id], true
}

// Each calls fn with every block given.
func (x Index) Each(fn func(*settle.Record)) {
	for _, e := range x.Entries {
		for _, r := range e.Blocks {
			fn(r)
		}
	}
}
