package node

import (
	"time"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// DefaultCheck is the kernel's full check of an opened block against the
// system clock: the protocol, MIP, settlement, grid, arena and governance kinds, the built-in MIPs'
// schemas, and the time window (protocol.CheckTime).
func DefaultCheck() func(protocol.Block) protocol.Verdict { return DefaultCheckAt(time.Now) }

// DefaultCheckAt is DefaultCheck against the clock now.
func DefaultCheckAt(now func() time.Time) func(protocol.Block) protocol.Verdict {
	return checkAt(mip.Builtins(), now)
}

// checkWith is the kernel check against reg and the system clock.
func checkWith(reg *mip.Registry) func(protocol.Block) protocol.Verdict {
	return checkAt(reg, time.Now)
}

// checkAt is the kernel check against reg, which a node grows with the
// mip entries it stores: proofs under a published MIP pass once it is held.
// A fraud body is verified here like any body (settle.VerifyFraud). An
// entry dated more than protocol.MaxFuture after now() is Ignored with
// protocol.ErrFuture: not stored, not forwarded, no penalty.
func checkAt(reg *mip.Registry, now func() time.Time) func(protocol.Block) protocol.Verdict {
	kinds := protocol.DefaultKinds()
	mip.Register(kinds)
	settle.Register(kinds)
	grid.Register(kinds)
	arena.Register(kinds)
	govern.Register(kinds)
	return mip.Checker{Kinds: kinds, MIPs: reg, Now: now}.Check
}
