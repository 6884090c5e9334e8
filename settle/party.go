package settle

import (
	"encoding/binary"

	"github.com/libp2p/go-libp2p/core/peer"
)

// party is one peer's ledger state: its accounts per unit and which of
// its receipts are covered.
type party struct {
	id    peer.ID
	units []*account // few per peer: searched in order
	cov   []bool     // covered receipts by seq-1
}

// parties interns peers by the last 8 bytes of their ID (random key
// bytes for Ed25519 IDs), so the hot path hashes a uint64, not a string.
type parties map[uint64][]*party

func (ps parties) get(id peer.ID, create bool) *party {
	var k uint64
	if len(id) >= 8 {
		k = binary.LittleEndian.Uint64([]byte(id[len(id)-8:]))
	}
	for _, p := range ps[k] {
		if p.id == id {
			return p
		}
	}
	if !create {
		return nil
	}
	p := &party{id: id}
	ps[k] = append(ps[k], p)
	return p
}

func (p *party) account(unit string, create bool) *account {
	for _, a := range p.units {
		if a.unit == unit {
			return a
		}
	}
	if !create {
		return nil
	}
	a := &account{unit: unit}
	p.units = append(p.units, a)
	return a
}
