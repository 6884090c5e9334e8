package embed

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/vault"
)

// Vault is what a peer runs over: a vault the node stores into and the
// control API reads (vault.Bolt).
type Vault interface {
	node.Vault
	api.Vault
}

var _ Vault = (*vault.Bolt)(nil)

// OpenVault opens the vault file at path, creating it (and a new
// identity, its key encrypted with pass when pass is not empty) the first
// time, with its directory.
func OpenVault(path string, pass []byte) (*vault.Bolt, error) {
	opt := vault.Options{Passphrase: pass}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("embed: %w", err)
		}
		return vault.Create(path, opt)
	}
	return vault.Open(path, opt)
}

// Peer is a running Mycel peer: a node over a vault, and the control API
// (the embedded *api.Local: AddEvidence, Publish, Attest, Pay, Pledge,
// ProofStatus, Balances, ImportBundle, ...) over both. Close stops it;
// the vault stays open, its owner closes it.
type Peer struct {
	*api.Local
	node   *node.Node
	mesh   api.Mesh
	runner *gridRunner // nil when Options.Grid was given, or offline
}

// Start starts a peer over v with o. The peer's entries are stored in v
// and sent to the districts it follows; see Options for its defaults.
func Start(ctx context.Context, v Vault, o Options) (*Peer, error) {
	cfg, err := o.nodeConfig()
	if err != nil {
		return nil, err
	}
	var opts []node.Option
	if o.Logger != nil {
		opts = append(opts, node.WithLogger(o.Logger))
	}
	opts = append(opts, o.NodeOptions...)
	p := &Peer{}
	if o.Offline {
		if p.node, err = node.NewOffline(ctx, cfg, v, opts...); err != nil {
			return nil, err
		}
		why := o.OfflineErr
		if why == nil {
			why = ErrNoNetwork
		}
		p.mesh = offlineMesh{&mesh{n: p.node, offline: true}, why}
	} else {
		grid := o.Grid
		if grid == nil {
			p.runner = &gridRunner{dir: o.GridCache}
			grid = p.runner
		}
		if p.node, err = node.New(ctx, cfg, v, append(opts, node.WithGridRunner(grid))...); err != nil {
			p.closeRunner()
			return nil, err
		}
		p.mesh = &mesh{n: p.node, offline: len(cfg.Listen) == 0}
	}
	local := &api.Local{Vault: v, Mesh: p.mesh}
	if !o.Offline {
		local.Grid, local.Arena = gridMesh{p.node}, arenaMesh{p.node}
	}
	p.Local, _ = settled(local, p.node, v, cfg.Pins) // no error with a node
	for _, addr := range o.Connect {
		if _, err := p.Local.Connect(ctx, addr); err != nil {
			p.Close()
			return nil, fmt.Errorf("embed: connect %s: %w", addr, err)
		}
	}
	return p, nil
}

// Node is the peer's node, for what the control API does not offer.
func (p *Peer) Node() *node.Node { return p.node }

// Mesh is the peer's network as the control API sees it: addresses,
// reachability, peers.
func (p *Peer) Mesh() api.Mesh { return p.mesh }

// ID is the peer's identity.
func (p *Peer) ID() peer.ID { return p.node.ID() }

// Addrs lists the peer's full multiaddrs, ending in /p2p/<peer id>;
// empty when it listens nowhere.
func (p *Peer) Addrs() []string { return p.mesh.Addrs() }

// Close stops the node and the grid runtime; safe to call twice.
func (p *Peer) Close() error {
	err := p.node.Close()
	return errors.Join(err, p.closeRunner())
}

func (p *Peer) closeRunner() error {
	if p.runner == nil {
		return nil
	}
	return p.runner.Close()
}
