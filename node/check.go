package node

import (
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// DefaultCheck is the kernel's full check of an opened block: the
// protocol, MIP and settlement kinds, and the built-in MIPs' schemas.
func DefaultCheck() func(protocol.Block) protocol.Verdict {
	kinds := protocol.DefaultKinds()
	mip.Register(kinds)
	settle.Register(kinds)
	return mip.Checker{Kinds: kinds, MIPs: mip.Builtins()}.Check
}
