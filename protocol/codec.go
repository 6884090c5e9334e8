package protocol

import (
	"fmt"
	"reflect"

	"github.com/fxamacker/cbor/v2"
)

// MaxEntrySize is the largest encoded entry, signature included, that any
// peer accepts. Larger payloads belong in separate blocks linked by CID.
const MaxEntrySize = 64 << 10

// maxDepth bounds nesting inside a body.
const maxDepth = 16

// maxItems bounds the items of one array and the pairs of one map.
const maxItems = 4096

var (
	encMode cbor.EncMode
	decMode cbor.DecMode // strict, for typed decoding after Canonical
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
		MaxArrayElements:  maxItems,
		MaxMapPairs:       maxItems,
		TagsMd:            cbor.TagsAllowed,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		FieldNameMatching: cbor.FieldNameMatchingCaseSensitive,
		DefaultMapType:    reflect.TypeOf(map[string]any(nil)),
	}
	if decMode, err = strict.DecMode(); err != nil {
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
