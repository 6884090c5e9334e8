package protocol

import (
	"regexp"
	"strconv"
	"strings"
)

// Proof is the body of a "proof" entry: a claim under a MIP, committed to
// evidence that stays in the author's vault.
type Proof struct {
	MIP      string         `cbor:"mip"`      // "MIP-HLT@1"
	Claim    map[string]any `cbor:"claim"`    // checked against the MIP's schema
	Evidence Commitment     `cbor:"evidence"` // Merkle root over the evidence leaves
	Period   Period         `cbor:"period"`   // when the outcome happened
}

// Commitment commits to Count evidence items by the Merkle root of their
// salted leaves (see Tree).
type Commitment struct {
	Root  []byte `cbor:"root"`
	Count uint64 `cbor:"count"`
}

// Period is a half-open interval [Start, End) in unix milliseconds.
type Period struct {
	Start int64 `cbor:"start"`
	End   int64 `cbor:"end"`
}

var mipRefPattern = regexp.MustCompile(`^MIP-[A-Z0-9]{2,16}@[1-9][0-9]{0,5}$`)

// ParseMIPRef splits "MIP-HLT@1" into its id and version.
func ParseMIPRef(ref string) (id string, version int, ok bool) {
	if !mipRefPattern.MatchString(ref) {
		return "", 0, false
	}
	id, v, _ := strings.Cut(ref, "@")
	n, _ := strconv.Atoi(v)
	return id, n, true
}

// Check validates the proof's shape; the claim itself is the MIP's to judge.
func (p *Proof) Check() error {
	if _, _, ok := ParseMIPRef(p.MIP); !ok {
		return badBody("mip %q is not of the form MIP-XXX@N", p.MIP)
	}
	if p.Claim == nil {
		return badBody("proof has no claim")
	}
	if len(p.Evidence.Root) != 32 {
		return badBody("evidence root is %d bytes, want 32", len(p.Evidence.Root))
	}
	if p.Evidence.Count > MaxEvidence {
		return badBody("evidence count %d over %d", p.Evidence.Count, MaxEvidence)
	}
	if p.Period.Start < 0 || p.Period.End < p.Period.Start {
		return badBody("period [%d, %d) is not an interval", p.Period.Start, p.Period.End)
	}
	return nil
}

// Verdicts an attestation can carry.
const (
	Valid   = "valid"
	Invalid = "invalid"
)

// Attest is the body of an "attest" entry: a verifier's verdict on a proof.
type Attest struct {
	Proof   Link   `cbor:"proof"`
	Verdict string `cbor:"verdict"` // Valid or Invalid
	Note    string `cbor:"note"`    // what was checked, or why it failed
}

// Check validates the attestation's shape.
func (a *Attest) Check() error {
	if !a.Proof.Defined() {
		return badBody("attest names no proof")
	}
	if a.Verdict != Valid && a.Verdict != Invalid {
		return badBody("verdict %q, want valid or invalid", a.Verdict)
	}
	if len(a.Note) > 1024 {
		return badBody("note is %d bytes, limit 1024", len(a.Note))
	}
	return nil
}
