package mip

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mesocosm/mycel/protocol"
)

// Registry holds the MIPs a peer knows, each with its compiled schema. It
// is a value, not a global: build one with New or Builtins. A Registry is
// safe for concurrent use.
type Registry struct {
	mu   sync.RWMutex
	defs map[string]*def // by ref
}

// def is one known definition.
type def struct {
	m      MIP
	schema *jsonschema.Schema
	lean   *jsonschema.Schema // schema without the integer keywords of ints; nil if none
	ints   []intField
	fixed  bool   // added with Add (built-ins): never displaced by Load
	source string // binary CID of the mip entry that defined it; "" if fixed
}

// New returns an empty registry.
func New() *Registry { return &Registry{defs: map[string]*def{}} }

// Add compiles m's schema, checks m's examples against it and adds m as a
// fixed definition, one that no mip entry can displace. Adding the same
// definition twice is a no-op. Add returns an error wrapping ErrBadMIP or
// ErrBadSchema for a bad definition, ErrClaim for a bad example, and
// ErrConflict if the ref already has a different definition.
func (r *Registry) Add(m MIP) error {
	d, err := build(m)
	if err != nil {
		return err
	}
	d.fixed = true
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.defs[m.Ref()]; ok {
		if same(old.m, d.m) {
			fixed := *old // defs may be shared between registries: copy
			fixed.fixed, fixed.source = true, ""
			r.defs[m.Ref()] = &fixed
			return nil
		}
		return fmt.Errorf("%w: %s is already defined differently", ErrConflict, m.Ref())
	}
	r.defs[m.Ref()] = d
	return nil
}

// build validates m and compiles its schema.
func build(m MIP) (*def, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	m.Schema = compact(m.Schema)
	sch, err := compile(m.Ref(), m.Schema)
	if err != nil {
		return nil, err
	}
	for i, ex := range m.Examples {
		if err := validate(sch, ex); err != nil {
			return nil, fmt.Errorf("%s example %d: %w", m.Ref(), i+1, err)
		}
	}
	d := &def{m: m, schema: sch}
	d.lean, d.ints = compileLean(m.Ref(), m.Schema)
	return d, nil
}

// Lookup finds a MIP by ref, "MIP-HLT@1", or by bare id, "MIP-HLT", which
// means the highest version known. The MIP returned shares its Schema and
// Examples with the registry: treat them as read-only.
func (r *Registry) Lookup(ref string) (MIP, bool) {
	d := r.find(ref)
	if d == nil {
		return MIP{}, false
	}
	return d.m, true
}

func (r *Registry) find(ref string) *def {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if strings.Contains(ref, "@") {
		return r.defs[ref]
	}
	var best *def
	for _, d := range r.defs {
		if d.m.ID == ref && (best == nil || d.m.Version > best.m.Version) {
			best = d
		}
	}
	return best
}

// List returns every known MIP, sorted by id, then version.
func (r *Registry) List() []MIP {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]MIP, 0, len(r.defs))
	for _, ref := range slices.Sorted(maps.Keys(r.defs)) {
		out = append(out, r.defs[ref].m)
	}
	slices.SortStableFunc(out, func(a, b MIP) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
	return out
}

// CheckClaim checks claim against the schema of the MIP ref names (a full
// ref, "MIP-HLT@1": a proof always names its version). It returns nil, an
// error wrapping ErrUnknownMIP, or a *FieldError (wrapping ErrClaim) that
// names the field and what is wrong with it.
func (r *Registry) CheckClaim(ref string, claim map[string]any) error {
	if _, _, ok := protocol.ParseMIPRef(ref); !ok {
		return fmt.Errorf("%w: %q is not of the form MIP-XXX@N", ErrUnknownMIP, ref)
	}
	d := r.find(ref)
	if d == nil {
		return fmt.Errorf("%w: %s", ErrUnknownMIP, ref)
	}
	if claim == nil {
		return fieldErr("", "is missing")
	}
	if d.lean != nil && leanCheck(d.lean, d.ints, claim) {
		return nil
	}
	return validate(d.schema, claim)
}
