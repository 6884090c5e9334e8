package arena

import "github.com/mesocosm/mycel/protocol"

// Solution is the body of a "solution" entry: its author (the solver)
// answers the problem Problem links with Summary, the Artifacts it links
// (files, repositories: any CID) and the proof entries Proofs links.
type Solution struct {
	Problem   protocol.Link   `cbor:"problem"`   // a block of the problem entry
	Summary   string          `cbor:"summary"`   // at most MaxSummary bytes
	Artifacts []protocol.Link `cbor:"artifacts"` // at most MaxArtifacts
	Proofs    []protocol.Link `cbor:"proofs"`    // at most MaxProofs, each a block of a proof entry
}

// Check validates the solution's shape.
func (s *Solution) Check() error {
	if err := checkEntry("problem", s.Problem); err != nil {
		return err
	}
	if err := checkText("summary", s.Summary, MaxSummary); err != nil {
		return err
	}
	if len(s.Artifacts) > MaxArtifacts {
		return badBody("artifacts has %d links, limit %d", len(s.Artifacts), MaxArtifacts)
	}
	for i, l := range s.Artifacts {
		if !l.Defined() {
			return badBody("artifact %d is missing", i)
		}
	}
	if len(s.Proofs) > MaxProofs {
		return badBody("proofs has %d links, limit %d", len(s.Proofs), MaxProofs)
	}
	for _, l := range s.Proofs {
		if err := checkEntry("proof", l); err != nil {
			return err
		}
	}
	return nil
}
