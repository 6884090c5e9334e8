package api

import (
	"fmt"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// entryKinds are the kinds Local decodes: protocol, MIP, settlement, grid and arena.
func entryKinds() protocol.Kinds {
	k := protocol.DefaultKinds()
	mip.Register(k)
	settle.Register(k)
	grid.Register(k)
	arena.Register(k)
	govern.Register(k)
	return k
}

// held returns the vault's entries of the given kinds (by author, when
// author is set) as records, decoded: one block of each entry.
func (l *Local) held(author peer.ID, kinds ...string) ([]*settle.Record, error) {
	k := entryKinds()
	var out []*settle.Record
	for _, kind := range kinds {
		blocks, err := l.Vault.Query(vault.Query{Kind: kind, Author: author})
		if err != nil {
			return nil, fmt.Errorf("%s entries: %w", kind, err)
		}
		for _, b := range blocks {
			out = append(out, settle.Decode(k, b))
		}
	}
	return out, nil
}

// heldAll is held with the further blocks the vault keeps of the entries,
// for the views that resolve links and pins by block (governance: a vote
// may link, and a pin name, any block of an entry). Folds that identify
// entries by ID read each once however many blocks they get.
func (l *Local) heldAll(kinds ...string) ([]*settle.Record, error) {
	out, err := l.held("", kinds...)
	if err != nil {
		return nil, err
	}
	others, err := l.Vault.Others()
	if err != nil {
		return nil, fmt.Errorf("further blocks: %w", err)
	}
	k := entryKinds()
	for _, c := range others {
		b, err := l.Vault.Get(c)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", c, err)
		}
		if slices.Contains(kinds, b.Entry.Kind) {
			out = append(out, settle.Decode(k, b))
		}
	}
	return out, nil
}

// rosters returns the district rosters the vault's district and role
// entries make under l.Pins, with the authors the views flag (none
// without views).
func (l *Local) rosters() (map[string]*settle.Roster, error) {
	recs, err := l.heldAll(settle.KindDistrict, settle.KindRole, govern.KindProposal, govern.KindVote)
	if err != nil {
		return nil, err
	}
	flags := settle.Flags{}
	for _, f := range l.flagged() {
		flags[f] = true
	}
	return govern.Rosters(recs, flags, l.Pins), nil
}

// flagged lists the authors the views flag: none without views.
func (l *Local) flagged() []peer.ID {
	if l.Flagged != nil {
		return l.Flagged()
	}
	if v, err := l.views(); err == nil {
		return v.Flags()
	}
	return nil
}
