package bundle_test

import (
	"bytes"

	"testing"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/mip/miptest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// growing is a check and a put over v whose registry reg learns the MIPs
// of the mip entries put stores, as a node's does.
func growing(v *vault.Bolt, reg *mip.Registry) (bundle.Check, bundle.Put) {
	kinds := protocol.DefaultKinds()
	mip.Register(kinds)
	kinds.Register("note", func() protocol.Body { return new(note) })
	put := func(blocks ...protocol.Block) ([]vault.Result, error) {
		res, err := v.Put(blocks...)
		for i, r := range res {
			if blocks[i].Entry.Kind == protocol.KindMIP && r.Status == vault.New {
				_ = reg.Load(blocks[i])
			}
		}
		return res, err
	}
	return mip.Checker{Kinds: kinds, MIPs: reg}.Check, put
}

func importGrowing(t testing.TB, v *vault.Bolt, reg *mip.Registry, file []byte) bundle.Report {
	t.Helper()
	check, put := growing(v, reg)
	rep, err := bundle.Import(bytes.NewReader(file), check, put, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestImportNewMIP: a mip entry and a proof under it in one bundle are
// both stored by the first import, in either order, in one chunk or with
// the mip entry chunks later; a second import stores nothing.
func TestImportNewMIP(t *testing.T) {
	def, proof := miptest.Published(t, "valley")
	filler := make([]protocol.Block, 300)
	a := vaulttest.NewAuthor(t)
	for i := range filler {
		filler[i] = a.Next(t, "note", "valley", nil)
	}
	cases := map[string][]protocol.Block{
		"mip first":      {def, proof},
		"proof first":    {proof, def},
		"chunks between": append(append([]protocol.Block{proof}, filler...), def),
	}
	for name, order := range cases {
		t.Run(name, func(t *testing.T) {
			file := writeCAR(t, cids(def), raw(order...)...)
			v, reg := newVault(t), mip.Builtins()
			rep := importGrowing(t, v, reg, file)
			if rep.New != len(order) || rep.Ignored != 0 || rep.Rejected != 0 {
				t.Fatalf("first import = %+v, want %d new", rep, len(order))
			}
			if ok, err := v.Has(proof.CID); err != nil || !ok {
				t.Fatalf("proof not stored: %v", err)
			}
			if rep := importGrowing(t, v, reg, file); rep.New != 0 || rep.Known != len(order) {
				t.Fatalf("second import = %+v, want 0 new", rep)
			}
		})
	}
}

// TestImportUnknownMIPStays: a proof under a MIP the bundle does not
// define is Ignored once, with its reason, and not stored.
func TestImportUnknownMIPStays(t *testing.T) {
	_, proof := miptest.Published(t, "valley")
	note := vaulttest.NewAuthor(t).Next(t, "note", "valley", nil)
	v := newVault(t)
	rep := importGrowing(t, v, mip.Builtins(), writeCAR(t, cids(note), raw(proof, note)...))
	if rep.New != 1 || rep.Ignored != 1 || len(rep.Reasons) != 1 {
		t.Fatalf("import = %+v, want 1 new, 1 ignored", rep)
	}
}
