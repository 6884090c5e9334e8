package mip

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/mesocosm/mycel/protocol"
)

// Limits on a MIP definition.
const (
	MaxTitle        = 120      // bytes
	MaxSchema       = 32 << 10 // bytes of schema JSON text
	MaxExamples     = 16       // example claims
	MaxAttestations = 64       // Policy.Attestations
)

// MIP is a domain extension: an id and version, a title, a JSON Schema
// (draft 2020-12) that every claim under it must satisfy, and the policy
// that says when a proof under it counts as verified.
type MIP struct {
	ID       string          // "MIP-HLT"
	Version  int             // 1, 2, ...
	Title    string          // one line for people
	Schema   json.RawMessage // JSON Schema draft 2020-12 of the claim
	Policy   Policy
	Examples []map[string]any // claims valid under Schema
}

// Policy says what makes a proof under a MIP verified.
type Policy struct {
	// Attestations is how many "valid" attestations from distinct
	// recognised verifiers a proof needs; the proof's author never counts.
	Attestations int `cbor:"attestations" json:"attestations"`
}

// Ref returns the MIP's reference, "MIP-HLT@1", as proofs name it.
func (m MIP) Ref() string { return fmt.Sprintf("%s@%d", m.ID, m.Version) }

// check validates everything but the schema and the examples.
func (m MIP) check() error {
	if _, _, ok := protocol.ParseMIPRef(m.Ref()); !ok {
		return fmt.Errorf("%w: ref %q is not of the form MIP-XXX@N", ErrBadMIP, m.Ref())
	}
	if m.Title == "" || len(m.Title) > MaxTitle || !utf8.ValidString(m.Title) {
		return fmt.Errorf("%w: %s title must be 1 to %d bytes of UTF-8", ErrBadMIP, m.Ref(), MaxTitle)
	}
	if a := m.Policy.Attestations; a < 1 || a > MaxAttestations {
		return fmt.Errorf("%w: %s policy needs 1 to %d attestations, got %d", ErrBadMIP, m.Ref(), MaxAttestations, a)
	}
	if len(m.Schema) > MaxSchema {
		return fmt.Errorf("%w: %s schema is %d bytes, limit %d", ErrBadSchema, m.Ref(), len(m.Schema), MaxSchema)
	}
	if len(m.Examples) > MaxExamples {
		return fmt.Errorf("%w: %s has %d examples, limit %d", ErrBadMIP, m.Ref(), len(m.Examples), MaxExamples)
	}
	return nil
}

// same reports whether a and b are one definition: same ref, title,
// policy and schema (compared as compact JSON). Examples are illustration
// and do not make two definitions differ.
func same(a, b MIP) bool {
	return a.Ref() == b.Ref() && a.Title == b.Title && a.Policy == b.Policy &&
		bytes.Equal(compact(a.Schema), compact(b.Schema))
}

func compact(raw []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return raw
	}
	return buf.Bytes()
}
