package main

import (
	"context"
	"path/filepath"

	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/vault"
)

// start opens the vault in o.dir and starts a peer of o.district on it,
// connected to o.connect when given. Close the peer, then the vault.
func start(ctx context.Context, o options) (*embed.Peer, *vault.Bolt, error) {
	v, err := embed.OpenVault(filepath.Join(o.dir, "vault.db"), nil)
	if err != nil {
		return nil, nil, err
	}
	var connect []string
	if o.connect != "" {
		connect = []string{o.connect}
	}
	p, err := embed.Start(ctx, v, embed.Options{Districts: []string{o.district}, Listen: []string{o.listen}, Connect: connect, LAN: true})
	if err != nil {
		v.Close()
		return nil, nil, err
	}
	return p, v, nil
}
