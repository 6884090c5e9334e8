package settle

import "github.com/libp2p/go-libp2p/core/peer"

// party is one peer's ledger state: its accounts per unit and which of
// its receipts are covered.
type party struct {
	units []*account // few per peer: searched in order
	cov   []bool     // covered receipts by seq-1
}

// parties holds the ledger state of every peer it met.
type parties byPeer[*party]

func (ps parties) get(id peer.ID, create bool) *party {
	if p, ok := byPeer[*party](ps).get(id); ok || !create {
		return p
	}
	p := &party{}
	byPeer[*party](ps).put(id, p)
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
	a := &account{owner: p, unit: unit}
	p.units = append(p.units, a)
	return a
}
