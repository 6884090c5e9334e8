package arena

import (
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Agency is the proof of agency of one peer: the work others accepted
// and the proofs verifiers verified.
type Agency struct {
	Peer     peer.ID
	Accepted map[string]int // solutions of the peer a deciding accept names, by domain MIP id
	Verified map[string]int // verified proofs the peer wrote, by MIP ref
	Agreed   map[string]int // the peer's attestations that agree with their proof's status, by MIP ref
}

// Agency returns the proof of agency of p at at. Accepted counts p's
// solutions that the deciding accept of a solved problem names, by the
// problem's domain id; Verified counts the statuses among proofs (as
// settle.Verification.All gives them) that are verified and written by
// p, by MIP ref; Agreed counts p's latest attestation on each proof
// when it agrees with the proof's status: valid on a verified proof, or
// invalid on one that is not verified. Grid results verified are the
// grid view's (grid.View.Reputation).
func (v *View) Agency(p peer.ID, at At, proofs []settle.Status) Agency {
	out := Agency{Peer: p, Accepted: map[string]int{}, Verified: map[string]int{}, Agreed: map[string]int{}}
	for _, st := range v.Problems(at) {
		for _, s := range st.Solved {
			if s.Solver == p {
				out.Accepted[DomainID(st.Problem.Domain)]++
			}
		}
	}
	for _, s := range proofs {
		if s.Verified && s.Author == p {
			out.Verified[s.MIP]++
		}
		for _, a := range s.Attestations {
			if a.Verifier == p && a.Why != settle.WhySuperseded && (a.Verdict == protocol.Valid) == s.Verified {
				out.Agreed[s.MIP]++
			}
		}
	}
	return out
}
