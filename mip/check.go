package mip

import (
	"errors"
	"fmt"
	"time"

	"github.com/mesocosm/mycel/protocol"
)

// Checker is the full entry check that gossip validators, sync and bundle
// import run on every entry: the kind's body rules, then, for proofs, the
// MIP's claim schema.
type Checker struct {
	Kinds protocol.Kinds // kinds understood, nil: protocol.DefaultKinds(); others are accepted unread
	MIPs  *Registry      // MIPs known; nil means none
	// Now is the receiver's clock for the time window (protocol.CheckTime);
	// nil checks no window.
	Now func() time.Time
}

// Check judges a block that protocol.Open (or OpenCID) already accepted.
// Five things might happen:
//
//   - the entry is dated more than protocol.MaxFuture after c.Now():
//     Ignore (protocol.ErrFuture; judged again once the clock catches up);
//   - the kind is not in c.Kinds: Accept, its body unread. The entry is
//     signed and canonical; a newer peer may know its kind. It is stored
//     and forwarded like any entry and holds its place in its author's
//     log, so that the author's later entries join; no view reads it;
//   - the body does not decode or fails its kind's Check, or a mip entry
//     redefines a built-in MIP: Reject, with the reason;
//   - a proof names a MIP c.MIPs does not know: Ignore ("unknown MIP"),
//     so that it can be judged again once the MIP arrives;
//   - a proof's claim fails the MIP's schema: Reject, naming the field.
//
// Anything else is Accept.
func (c Checker) Check(b protocol.Block) protocol.Verdict {
	if c.Now != nil {
		if err := protocol.CheckTime(b.Entry, c.Now()); err != nil {
			return protocol.Ignored(err)
		}
	}
	kinds := c.Kinds
	if kinds == nil {
		kinds = protocol.DefaultKinds()
	}
	body, err := kinds.Decode(b.Entry)
	switch {
	case errors.Is(err, protocol.ErrUnknownKind):
		return protocol.Accepted
	case err != nil:
		return protocol.Rejected(err)
	}
	mips := c.MIPs
	if mips == nil {
		mips = New()
	}
	switch x := body.(type) {
	case *protocol.Proof:
		return claimVerdict(x, mips.CheckClaim(x.MIP, x.Claim))
	case *Doc:
		if mips.fixedConflict(x.MIP()) {
			return protocol.Rejected(fmt.Errorf("%w: %s", ErrBuiltin, x.MIP().Ref()))
		}
	}
	return protocol.Accepted
}

func claimVerdict(p *protocol.Proof, err error) protocol.Verdict {
	switch {
	case err == nil:
		return protocol.Accepted
	case errors.Is(err, ErrUnknownMIP):
		return protocol.Ignored(err)
	}
	return protocol.Rejected(fmt.Errorf("proof under %s: %w", p.MIP, err))
}

// CheckBytes opens data (strict decoding, size limit, signature) and then
// runs Check. Any error from protocol.Open is a Reject.
func (c Checker) CheckBytes(data []byte) (protocol.Block, protocol.Verdict) {
	b, err := protocol.Open(data)
	if err != nil {
		return protocol.Block{}, protocol.Rejected(err)
	}
	return b, c.Check(b)
}
