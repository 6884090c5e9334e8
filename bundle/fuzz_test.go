package bundle_test

import (
	"bytes"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// FuzzImport: Import never panics, and every block it hands to the store
// re-hashes to its CID and opens.
func FuzzImport(f *testing.F) {
	v := newVault(f)
	as := authors(f, 2)
	log := write(f, as[0], 3, "", v)
	write(f, as[1], 2, "valley", v)
	var buf bytes.Buffer
	if _, err := bundle.Export(&buf, v, bundle.Filter{}, nil); err != nil {
		f.Fatal(err)
	}
	file := buf.Bytes()
	f.Add(file)
	f.Add(file[:len(file)-9])
	f.Add(file[:60])
	f.Add(writeCAR(f, []cid.Cid{log[0].CID}, rawBlock{log[1].CID, log[0].Data}))
	f.Add([]byte{})
	f.Add([]byte(`{"version":1,"heads":[]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		put := func(blocks ...protocol.Block) ([]vault.Result, error) {
			res := make([]vault.Result, len(blocks))
			for i, b := range blocks {
				if _, err := protocol.OpenCID(b.CID, b.Data); err != nil {
					t.Fatalf("asked to store a block that does not open: %v", err)
				}
				res[i] = vault.Result{CID: b.CID, Status: vault.New}
			}
			return res, nil
		}
		rep, err := bundle.Import(bytes.NewReader(in), nil, put, nil)
		if err == nil && rep.New+rep.Rejected > len(in) {
			t.Fatalf("report %+v from %d bytes", rep, len(in))
		}
	})
}
