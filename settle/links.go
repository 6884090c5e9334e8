package settle

import (
	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

// Links returns the entries r's body links to that a view reads: an
// attestation's proof and what a receipt pays for. A link names a block;
// a set that holds no block with that CID does not know the entry it
// names (see Set.Named).
func Links(r *Record) []cid.Cid {
	switch b := r.Body.(type) {
	case *protocol.Attest:
		return []cid.Cid{b.Proof.Cid}
	case *Receipt:
		out := make([]cid.Cid, 0, len(b.For))
		for _, l := range b.For {
			out = append(out, l.Cid)
		}
		return out
	}
	return nil
}
