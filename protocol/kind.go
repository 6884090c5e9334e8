package protocol

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
)

// Body is the decoded, kind-specific part of an entry. Check validates the
// fields that the body alone can judge.
type Body interface {
	Check() error
}

// Kinds maps a kind name to a constructor of its body. It is a value, not a
// global: callers build the set they understand, and later kinds plug in
// with Register without touching this package's code.
type Kinds map[string]func() Body

// Kind names defined by this package.
const (
	KindProof   = "proof"
	KindAttest  = "attest"
	KindReceipt = "receipt"
	KindPledge  = "pledge"
	KindMIP     = "mip"
	KindFraud   = "fraud"
)

// DefaultKinds returns the kinds this package defines.
func DefaultKinds() Kinds {
	return Kinds{
		KindProof:  func() Body { return new(Proof) },
		KindAttest: func() Body { return new(Attest) },
	}
}

// Register adds or replaces a kind.
func (k Kinds) Register(name string, newBody func() Body) { k[name] = newBody }

// Names lists the registered kinds in order.
func (k Kinds) Names() []string { return slices.Sorted(maps.Keys(k)) }

// Decode decodes and checks the body of e. It returns ErrUnknownKind for a
// kind not in k, and an error wrapping ErrBadBody or ErrMalformed for a body
// that does not fit its kind.
func (k Kinds) Decode(e Entry) (Body, error) {
	newBody, ok := k[e.Kind]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownKind, e.Kind)
	}
	if b, ok := newBody().(canonicalBody); ok && Canonical(e.Body) == nil && b.readCanonical(e.Body) {
		if err := b.Check(); err != nil {
			return nil, fmt.Errorf("%s body: %w", e.Kind, err)
		}
		return b, nil
	}
	b := newBody()
	if err := Unmarshal(e.Body, b); err != nil {
		return nil, fmt.Errorf("%s body: %w", e.Kind, err)
	}
	if err := b.Check(); err != nil {
		return nil, fmt.Errorf("%s body: %w", e.Kind, err)
	}
	// One body, one byte string: fields left out or set to null would
	// otherwise decode to the same body as their canonical encoding.
	if again, err := Marshal(b); err != nil || !bytes.Equal(again, e.Body) {
		return nil, fmt.Errorf("%s body: %w: fields are not in their canonical form (null, missing or mistyped field)", e.Kind, ErrNonCanonical)
	}
	return b, nil
}

// EncodeBody encodes a body for Entry.Body after checking it.
func EncodeBody(b Body) ([]byte, error) {
	if err := b.Check(); err != nil {
		return nil, err
	}
	return Marshal(b)
}

func badBody(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadBody}, args...)...)
}
