package mip

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/mesocosm/mycel/protocol"
)

// Doc is the body of a "mip" entry: a MIP definition published to the
// mesh. The schema travels as JSON text, because DAG-CBOR forbids the
// floats a JSON Schema may contain; examples are claims in the same
// integer-only form as a proof's claim.
type Doc struct {
	ID       string           `cbor:"id"`       // "MIP-HLT"
	Version  int              `cbor:"version"`  // 1, 2, ...
	Title    string           `cbor:"title"`    // one line
	Schema   string           `cbor:"schema"`   // JSON Schema draft 2020-12, as text
	Policy   Policy           `cbor:"policy"`   // {attestations}
	Examples []map[string]any `cbor:"examples"` // valid claims
}

// Register adds the "mip" kind to k.
func Register(k protocol.Kinds) {
	k.Register(protocol.KindMIP, func() protocol.Body { return new(Doc) })
}

// DocOf returns the entry body that publishes m.
func DocOf(m MIP) Doc {
	return Doc{
		ID: m.ID, Version: m.Version, Title: m.Title,
		Schema: string(compact(m.Schema)), Policy: m.Policy, Examples: m.Examples,
	}
}

// MIP returns the definition d publishes. It does not check it; Check
// does.
func (d *Doc) MIP() MIP {
	return MIP{
		ID: d.ID, Version: d.Version, Title: d.Title,
		Schema: json.RawMessage(d.Schema), Policy: d.Policy, Examples: d.Examples,
	}
}

// Check validates the definition: ref, title, policy and limits, the
// schema compiles, and every example satisfies it.
func (d *Doc) Check() error {
	if _, err := build(d.MIP()); err != nil {
		return fmt.Errorf("%w: %v", protocol.ErrBadBody, err)
	}
	return nil
}

// Load adds the MIP that a "mip" entry defines. Publishing is
// permissionless: any author may define a new ref. Three things might
// happen:
//
//   - the ref is new, or already holds the same definition: it is added
//     (or kept) and Load returns nil;
//   - the ref holds a built-in or another fixed definition that differs:
//     nothing changes and Load returns an error wrapping ErrBuiltin;
//   - the ref holds a different definition from another mip entry: the
//     registry keeps, of the two, the one whose entry has the smaller CID
//     (bytewise), and Load returns an error wrapping ErrConflict. The
//     winner is thus the same on every peer whatever order entries
//     arrived in.
//
// A block that is not a valid mip entry gives an error wrapping
// protocol.ErrBadBody or protocol.ErrMalformed and changes nothing.
func (r *Registry) Load(b protocol.Block) error {
	if b.Entry.Kind != protocol.KindMIP {
		return fmt.Errorf("%w: entry kind %q is not %q", protocol.ErrBadBody, b.Entry.Kind, protocol.KindMIP)
	}
	var doc Doc
	if err := protocol.Unmarshal(b.Entry.Body, &doc); err != nil {
		return fmt.Errorf("mip body: %w", err)
	}
	// As protocol.Kinds.Decode insists, so that Load accepts exactly the
	// bodies Checker accepts: a left-out or null field is not canonical.
	if again, err := protocol.Marshal(&doc); err != nil || !bytes.Equal(again, b.Entry.Body) {
		return fmt.Errorf("mip body: %w: fields are not in their canonical form (null, missing or mistyped field)", protocol.ErrNonCanonical)
	}
	d, err := build(doc.MIP())
	if err != nil {
		return fmt.Errorf("mip body: %w: %v", protocol.ErrBadBody, err)
	}
	d.source = b.CID.KeyString()
	return r.put(d)
}

func (r *Registry) put(d *def) error {
	ref := d.m.Ref()
	r.mu.Lock()
	defer r.mu.Unlock()
	old, ok := r.defs[ref]
	switch {
	case !ok:
		r.defs[ref] = d
		return nil
	case same(old.m, d.m):
		if !old.fixed && d.source < old.source {
			r.defs[ref] = d
		}
		return nil
	case old.fixed:
		return fmt.Errorf("%w: %s", ErrBuiltin, ref)
	}
	if d.source < old.source {
		r.defs[ref] = d
	}
	return fmt.Errorf("%w: %s has two definitions; the one from the entry with the smaller CID wins", ErrConflict, ref)
}

// fixedConflict reports whether doc redefines a fixed (built-in) MIP of r
// differently.
func (r *Registry) fixedConflict(m MIP) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	old, ok := r.defs[m.Ref()]
	return ok && old.fixed && !same(old.m, m)
}
