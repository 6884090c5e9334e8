package embed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/node"
)

var _ api.PeerMemory = (*mesh)(nil)

// Remembered lists the node's remembered peers that are not connected.
func (m *mesh) Remembered() []api.Remembered {
	out := []api.Remembered{}
	for _, r := range m.n.Remembered() {
		if r.Connected {
			continue
		}
		addrs := []string{}
		for _, a := range r.Addrs {
			addrs = append(addrs, a.String())
		}
		out = append(out, api.Remembered{
			PeerID: r.ID.String(), Addrs: addrs, Source: r.Source, LastSeen: utcOrZero(r.Seen),
			LastError: r.LastErr, NextDial: utcOrZero(r.NextDial),
		})
	}
	return out
}

// Forget removes a remembered peer from the node.
func (m *mesh) Forget(_ context.Context, p peer.ID) error {
	err := m.n.Forget(p)
	if errors.Is(err, node.ErrNotRemembered) {
		return fmt.Errorf("peer %s is not remembered (mycel status lists the peers it redials): %w", p, api.ErrNotFound)
	}
	return err
}

// utcOrZero is t in UTC; the zero time stays zero.
func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
