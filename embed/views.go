package embed

import (
	"sync"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// Local returns the control API over a vault with no node running: its
// settlement views are computed from the vault (kept while its heads and
// forks stay the same) and its MIP registry holds the built-ins and the
// MIPs published in it (api.VaultMIPs), so that proofs are judged as a
// node over the vault would judge them. Entries it writes are appended to
// the vault only; they travel when a peer over the vault next syncs, or
// by bundle. pins are the district geneses to follow (config.toml [pins]).
func Local(v api.Vault, pins settle.Pins) (*api.Local, error) {
	return settled(&api.Local{Vault: v}, nil, v, pins)
}

// settled wires the settlement views into l: the running node's live
// views and MIP registry, or without one views computed from the vault
// and the MIPs published in it; Settlement also feeds the verified
// column of the proof listing.
func settled(l *api.Local, n *node.Node, v vault.Reader, pins settle.Pins) (*api.Local, error) {
	l.Pins = pins
	if n != nil {
		l.Registry = n.MIPs()
		l.Settlement = func() (api.Views, error) { return n.Views(), nil }
		l.Flagged = n.Flagged
		l.Position = n.Position
	} else {
		reg, err := api.VaultMIPs(v)
		if err != nil {
			return nil, err
		}
		l.Registry = reg
		l.Settlement = (&vaultViews{v: v, pins: pins}).get
	}
	return l, nil
}

// vaultViews computes views from a vault and keeps them while the vault's
// heads and forks stay the same.
type vaultViews struct {
	v    vault.Reader
	pins settle.Pins

	mu    sync.Mutex
	stamp [2]uint64 // sum of head seqs, forks
	views *node.Views
}

func (c *vaultViews) get() (api.Views, error) {
	heads, err := c.v.Heads()
	if err != nil {
		return nil, err
	}
	forks, err := c.v.Forks()
	if err != nil {
		return nil, err
	}
	stamp := [2]uint64{0, uint64(len(forks))}
	for _, h := range heads {
		stamp[0] += h.Seq
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.views == nil || c.stamp != stamp {
		if c.views, err = node.ReadViews(c.v, c.pins, mip.Builtins()); err != nil {
			return nil, err
		}
		c.stamp = stamp
	}
	return c.views, nil
}
