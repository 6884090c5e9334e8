package demo

import (
	libp2ppeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/vault"
)

// viewsOf derives the settlement views from the entries in v, as a node
// over v would.
func viewsOf(v *vault.Bolt) (*node.Views, error) { return node.ReadViews(v, nil, nil) }

// balanceOf returns account's balance in unit.
func balanceOf(v *node.Views, account libp2ppeer.ID, unit string) int64 {
	for _, b := range v.Balances() {
		if b.Account == account && b.Unit == unit {
			return b.Balance
		}
	}
	return 0
}
