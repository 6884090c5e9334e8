package node

import (
	"bytes"
	"testing"

	"github.com/mesocosm/mycel/mip/miptest"
	"github.com/mesocosm/mycel/protocol"
)

// TestImportNewMIP: a node imports a mip entry and a proof under it from
// one bundle, in either order, on the first import, with no Rejected
// event; a second import stores nothing.
func TestImportNewMIP(t *testing.T) {
	def, proof := miptest.Published(t, district)
	for name, order := range map[string][]protocol.Block{"mip first": {def, proof}, "proof first": {proof, def}} {
		t.Run(name, func(t *testing.T) {
			n := peerNode(t)
			ev, stop := n.Subscribe(64)
			defer stop()
			file := miptest.Bundle(t, order...)
			rep, err := n.Import(bytes.NewReader(file), nil)
			if err != nil || rep.New != 2 || rep.Ignored != 0 {
				t.Fatalf("first import %+v, %v", rep, err)
			}
			for len(ev) > 0 {
				if e, ok := (<-ev).(Rejected); ok {
					t.Fatalf("rejected event %v", e.Verdict)
				}
			}
			if st, ok := n.Views().Status(proof.CID); !ok || !st.Known {
				t.Fatalf("proof status %+v %v", st, ok)
			}
			if rep, err := n.Import(bytes.NewReader(file), nil); err != nil || rep.New != 0 || rep.Known != 2 {
				t.Fatalf("second import %+v, %v", rep, err)
			}
		})
	}
}
