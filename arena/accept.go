package arena

import (
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Accept is the body of an "accept" entry: its author accepts the
// solutions its Shares link for the problem Problem links, and splits the
// bounty among them. Whether the accept counts is the view's to judge
// (see View.Status); a share beyond what the bounty has left is cut.
type Accept struct {
	Problem protocol.Link `cbor:"problem"` // a block of the problem entry
	Shares  []Share       `cbor:"shares"`  // 1..MaxShares, distinct solution links
}

// Share is one accepted solution and its part of the bounty.
type Share struct {
	Solution protocol.Link `cbor:"solution"` // a block of the solution entry
	Share    uint64        `cbor:"share"`    // integer minor units of the bounty's unit, 0..settle.MaxAmount
}

// Check validates the accept's shape.
func (a *Accept) Check() error {
	if err := checkEntry("problem", a.Problem); err != nil {
		return err
	}
	if len(a.Shares) == 0 || len(a.Shares) > MaxShares {
		return badBody("shares has %d entries, want 1..%d", len(a.Shares), MaxShares)
	}
	for i, s := range a.Shares {
		if err := checkEntry("solution", s.Solution); err != nil {
			return err
		}
		if s.Share > settle.MaxAmount {
			return badBody("share %d above %d", s.Share, uint64(settle.MaxAmount))
		}
		for _, o := range a.Shares[:i] {
			if o.Solution.Equals(s.Solution.Cid) {
				return badBody("solution %s is listed twice", s.Solution.Cid)
			}
		}
	}
	return nil
}

// Allowed returns what each share may be paid of a bounty: the shares in
// order, each cut to what the bounty has left after the ones before it.
func (a *Accept) Allowed(bounty uint64) []uint64 {
	out := make([]uint64, len(a.Shares))
	left := bounty
	for i, s := range a.Shares {
		out[i] = min(s.Share, left)
		left -= out[i]
	}
	return out
}
