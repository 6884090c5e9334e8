package protocol

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/fxamacker/cbor/v2"
)

// MaxEntrySize is the largest encoded entry, signature included, that any
// peer accepts. Larger payloads belong in separate blocks linked by CID.
const MaxEntrySize = 64 << 10

// maxDepth bounds nesting inside a body.
const maxDepth = 16

var (
	encMode cbor.EncMode
	decMode cbor.DecMode // strict, for typed decoding
	anyMode cbor.DecMode // strict, for the canonical round trip
)

func init() {
	var err error
	encMode, err = cbor.EncOptions{
		Sort:          cbor.SortLengthFirst,
		IndefLength:   cbor.IndefLengthForbidden,
		NilContainers: cbor.NilContainerAsEmpty,
		TagsMd:        cbor.TagsAllowed,
	}.EncMode()
	if err != nil {
		panic(err)
	}
	strict := cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		MaxNestedLevels:   maxDepth + 2,
		MaxArrayElements:  4096,
		MaxMapPairs:       4096,
		TagsMd:            cbor.TagsAllowed,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
	}
	if decMode, err = strict.DecMode(); err != nil {
		panic(err)
	}
	strict.DefaultMapType = reflect.TypeOf(map[string]any(nil))
	strict.ExtraReturnErrors = cbor.ExtraDecErrorNone
	if anyMode, err = strict.DecMode(); err != nil {
		panic(err)
	}
}

// Marshal encodes v as canonical DAG-CBOR: map keys sorted length-first,
// shortest integer forms, definite lengths.
func Marshal(v any) ([]byte, error) { return encMode.Marshal(v) }

// Unmarshal decodes canonical DAG-CBOR strictly into v: trailing bytes,
// unknown fields, duplicate keys, indefinite lengths, floats and any
// non-canonical form are errors.
func Unmarshal(data []byte, v any) error {
	if err := Canonical(data); err != nil {
		return err
	}
	if err := decMode.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}

// Canonical reports whether data is exactly one canonical DAG-CBOR value of
// the subset Mycel uses: no floats, text map keys, only tag 42 (CIDs).
func Canonical(data []byte) error {
	var v any
	if err := anyMode.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := subset(v, 0); err != nil {
		return err
	}
	again, err := encMode.Marshal(v)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if !bytes.Equal(again, data) {
		return fmt.Errorf("%w: %s", ErrNonCanonical, firstDifference(data, again))
	}
	return nil
}

// subset walks a generically decoded value and rejects what DAG-CBOR or
// Mycel forbid.
func subset(v any, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: nested deeper than %d", ErrMalformed, maxDepth)
	}
	switch x := v.(type) {
	case float32, float64:
		return fmt.Errorf("%w: floats are not allowed", ErrMalformed)
	case map[string]any:
		for _, e := range x {
			if err := subset(e, depth+1); err != nil {
				return err
			}
		}
	case map[any]any:
		return fmt.Errorf("%w: map keys must be text", ErrMalformed)
	case []any:
		for _, e := range x {
			if err := subset(e, depth+1); err != nil {
				return err
			}
		}
	case cbor.Tag:
		if x.Number != linkTag {
			return fmt.Errorf("%w: tag %d is not allowed", ErrMalformed, x.Number)
		}
		if _, ok := x.Content.([]byte); !ok {
			return fmt.Errorf("%w: tag 42 must hold bytes", ErrMalformed)
		}
	case cbor.RawTag:
		return fmt.Errorf("%w: tag %d is not allowed", ErrMalformed, x.Number)
	case cbor.SimpleValue:
		return fmt.Errorf("%w: simple value %d is not allowed", ErrMalformed, x)
	}
	return nil
}

func firstDifference(got, want []byte) string {
	n := min(len(got), len(want))
	for i := 0; i < n; i++ {
		if got[i] != want[i] {
			return fmt.Sprintf("byte %d is 0x%02x, canonical form has 0x%02x (map key order or integer width)", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("length %d, canonical form is %d bytes", len(got), len(want))
}
