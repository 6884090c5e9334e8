package api

import (
	"bytes"
	"context"
	"testing"

	"github.com/mesocosm/mycel/mip/miptest"
	"github.com/mesocosm/mycel/protocol"
)

// TestImportNewMIP: without a daemon, a bundle's mip entry applies to the
// proof under it in either order; a second import stores nothing; the
// registry of a Local opened later over the vault knows the MIP.
func TestImportNewMIP(t *testing.T) {
	ctx := context.Background()
	def, proof := miptest.Published(t, "valley/north")
	for name, order := range map[string][]protocol.Block{"mip first": {def, proof}, "proof first": {proof, def}} {
		t.Run(name, func(t *testing.T) {
			l, v := newLocal(t)
			file := miptest.Bundle(t, order...)
			if rep, err := l.ImportBundle(ctx, bytes.NewReader(file)); err != nil || rep.New != 2 || rep.Ignored != 0 {
				t.Fatalf("first import %+v, %v", rep, err)
			}
			if rep, err := l.ImportBundle(ctx, bytes.NewReader(file)); err != nil || rep.New != 0 || rep.Known != 2 {
				t.Fatalf("second import %+v, %v", rep, err)
			}
			reg, err := VaultMIPs(v)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := reg.Lookup("MIP-TST@1"); !ok {
				t.Fatal("VaultMIPs does not know the published MIP")
			}
			again := &Local{Vault: v, Registry: reg}
			if _, err := again.MIP(ctx, "MIP-TST@1"); err != nil {
				t.Fatal(err)
			}
		})
	}
}
