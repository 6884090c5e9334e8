package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// ExportRequest selects what ExportBundle writes; the zero value selects
// every entry held. It is the body of POST /v1/bundles/export.
type ExportRequest struct {
	District string       `json:"district,omitempty"`
	Authors  []string     `json:"authors,omitempty"` // peer IDs or did:keys
	Since    *bundle.Want `json:"since,omitempty"`   // the receiver's want file
}

// Importer is a Mesh that imports bundles itself, through the node's
// check and with its events. Local hands bundles to a Mesh that is one;
// otherwise it imports into the vault directly.
type Importer interface {
	Import(r io.Reader, progress func(blocks int)) (bundle.Report, error)
}

// bundleStore is what a vault needs to take imported entries.
type bundleStore interface {
	Put(blocks ...protocol.Block) ([]vault.Result, error)
}

// WantBundle returns this peer's version vector as a want file.
func (l *Local) WantBundle(context.Context) (bundle.Want, error) {
	return bundle.WantOf(l.Vault)
}

// ExportBundle writes the selected entries to w as a CARv1 bundle. It
// returns bundle.ErrNothing, with nothing written, for an empty selection;
// ErrBadInput for a bad author or want file. When ctx ends it stops at
// the next write with ctx's error: w then holds a cut bundle.
func (l *Local) ExportBundle(ctx context.Context, w io.Writer, req ExportRequest) (bundle.Stats, error) {
	f, err := req.filter()
	if err != nil {
		return bundle.Stats{}, err
	}
	st, err := bundle.Export(ctxWriter{ctx: ctx, w: w}, l.Vault, f, nil)
	if errors.Is(err, bundle.ErrBadWant) {
		return st, badInput("%v", err)
	}
	return st, err
}

func (req ExportRequest) filter() (bundle.Filter, error) {
	f := bundle.Filter{District: req.District, Since: req.Since}
	if req.District != "" && !protocol.ValidDistrict(req.District) {
		return f, badInput("district %q is not a lowercase path like meso-valley/north", req.District)
	}
	for _, s := range req.Authors {
		id, err := protocol.ParsePeer(s)
		if err != nil {
			return f, badInput("author %q is not a peer ID or did:key", s)
		}
		f.Authors = append(f.Authors, id)
	}
	return f, nil
}

// ImportBundle reads a bundle, checks every block as gossip does and
// stores the accepted entries; see bundle.Import for the report. The
// bundle's mip entries apply to its proofs whatever their order: without
// a daemon l.Registry learns each mip entry as it is stored. Inside
// the daemon the node imports it, so imported entries raise its events;
// nothing is gossiped, sync carries them. A stream that is not a CAR file
// gives ErrBadInput with nothing stored.
//
// When ctx ends the import stops at the next block it reads, keeping
// what it stored whole, and returns the report so far with an error
// wrapping ErrInterrupted.
func (l *Local) ImportBundle(ctx context.Context, r io.Reader) (bundle.Report, error) {
	var rep bundle.Report
	var err error
	cr := &ctxReader{ctx: ctx, r: r}
	r = cr
	if imp, ok := l.Mesh.(Importer); ok {
		rep, err = imp.Import(r, nil)
	} else {
		s, ok := l.Vault.(bundleStore)
		if !ok {
			return bundle.Report{}, errors.New("bundle import: the vault is open read-only")
		}
		if l.Registry == nil {
			l.Registry = mip.Builtins()
		}
		rep, err = bundle.Import(r, kernelCheck(l.Registry), l.learning(s), nil)
	}
	switch {
	case cr.cut && (errors.Is(err, bundle.ErrNotBundle) || err == nil && rep.Damaged != ""):
		// The cut read is what made the file look damaged or not a bundle.
		return rep, interrupted(&rep)
	case errors.Is(err, bundle.ErrNotBundle):
		return rep, badInput("%v", err)
	case err != nil:
		return rep, fmt.Errorf("bundle import: %w", err)
	}
	return rep, nil
}

// learning is s.Put that also loads into l.Registry the mip entries it
// stores, joined or forked, as a node's views do: bundle.Import then
// judges again the proofs it held for naming their MIPs.
func (l *Local) learning(s bundleStore) bundle.Put {
	return func(blocks ...protocol.Block) ([]vault.Result, error) {
		res, err := s.Put(blocks...)
		for i, r := range res {
			if r.Status == vault.New || r.Status == vault.Equivocation {
				loadMIP(l.Registry, blocks[i])
			}
			for _, c := range r.Joined {
				if b, gerr := l.Vault.Get(c); gerr == nil {
					loadMIP(l.Registry, b)
				}
			}
		}
		return res, err
	}
}

// kernelCheck is the check a node runs on gossip (node.DefaultCheck),
// with the given MIP registry: protocol, MIP, settlement, grid and arena kinds, and the
// time window against the system clock.
func kernelCheck(reg *mip.Registry) bundle.Check {
	kinds := protocol.DefaultKinds()
	mip.Register(kinds)
	settle.Register(kinds)
	grid.Register(kinds)
	arena.Register(kinds)
	govern.Register(kinds)
	return mip.Checker{Kinds: kinds, MIPs: reg, Now: time.Now}.Check
}
