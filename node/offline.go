package node

import (
	"context"
	"fmt"
	"io"

	"github.com/libp2p/go-libp2p"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// Import reads a bundle (docs/PROTOCOL.md, "Bundles") into the node's
// vault. Every block is re-hashed, opened and judged by the node's check,
// exactly as gossip input is; a block the check does not accept raises a
// Rejected event with Source Import and is counted in the report, the
// others are stored a chunk per transaction, without being checked again,
// and raise Stored events with Source Import. A mip entry the bundle
// carries is known to the check as soon as it is stored, and proofs under
// it the check Ignored as naming an unknown MIP are judged again then,
// wherever they lie in the bundle: they raise a Rejected event only if
// still Ignored at the end. Nothing is gossiped: peers
// get imported entries by sync, which sends only what they lack.
//
// The outcomes are those of bundle.Import: ErrNotBundle with nothing
// stored; a report with per-block rejections and, for a cut or corrupt
// file, Damaged set and the blocks before the damage stored; or a store
// error with the chunks before it stored.
func (n *Node) Import(r io.Reader, progress func(blocks int)) (bundle.Report, error) {
	if n.isClosed() {
		return bundle.Report{}, ErrClosed
	}
	put := func(blocks ...protocol.Block) ([]vault.Result, error) {
		return n.put(Import, "", blocks...)
	}
	judged := func(b protocol.Block, v protocol.Verdict) {
		n.events.emit(Rejected{Source: Import, District: b.Entry.District, Verdict: v})
	}
	rep, err := bundle.ImportWith(r, n.check, put, bundle.Options{Progress: progress, Judged: judged})
	if err != nil {
		return rep, fmt.Errorf("node import: %w", err)
	}
	return rep, nil
}

// Export writes the entries f selects to w as a bundle; see bundle.Export.
func (n *Node) Export(w io.Writer, f bundle.Filter, progress func(done, total int)) (bundle.Stats, error) {
	return bundle.Export(w, n.store, f, progress)
}

// Want is the node's version vector as a want file; see bundle.WantOf.
func (n *Node) Want() (bundle.Want, error) { return bundle.WantOf(n.store) }

// NewOffline starts a node over v with no network: its libp2p host has no
// transports, so it listens nowhere and every dial fails at once without
// touching the network; cfg's listen addresses, bootstrap peers, relays,
// mDNS and port mapping are dropped. The rest runs as online: the views,
// the settler paying verified proofs and writing fraud entries, Import,
// Export, and Publish, which stores (its gossip reaches no one). Entries
// travel by bundles, or by sync when the vault next runs online.
func NewOffline(ctx context.Context, cfg Config, v Vault, opts ...Option) (*Node, error) {
	if v.Key() == nil {
		return nil, fmt.Errorf("node: %w", vault.ErrLocked)
	}
	cfg.Listen, cfg.Bootstrap, cfg.Relays = []ma.Multiaddr{}, nil, nil
	cfg.MDNS, cfg.NoPortMap, cfg.Server, cfg.DHTServer = false, true, false, false
	h, err := libp2p.New(libp2p.Identity(v.Key()), libp2p.NoTransports, libp2p.NoListenAddrs,
		libp2p.DisableRelay(), libp2p.DisableMetrics())
	if err != nil {
		return nil, fmt.Errorf("node: offline host: %w", err)
	}
	n, err := New(ctx, cfg, v, append(opts, WithHost(h))...)
	if err != nil {
		_ = h.Close()
		return nil, err
	}
	n.ownHost = true // built here: Close closes it
	return n, nil
}
