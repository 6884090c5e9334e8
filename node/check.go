package node

import (
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// DefaultCheck is the kernel's full check of an opened block: the
// protocol, MIP and settlement kinds, and the built-in MIPs' schemas.
func DefaultCheck() func(protocol.Block) protocol.Verdict { return checkWith(mip.Builtins()) }

// checkWith is the kernel check against reg, which a node grows with the
// mip entries it stores: proofs under a published MIP pass once it is held.
// A fraud body is verified here like any body (settle.VerifyFraud).
func checkWith(reg *mip.Registry) func(protocol.Block) protocol.Verdict {
	kinds := protocol.DefaultKinds()
	mip.Register(kinds)
	settle.Register(kinds)
	return mip.Checker{Kinds: kinds, MIPs: reg}.Check
}
