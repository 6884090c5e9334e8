package mip

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
)

// maxClaimDepth bounds nesting inside a claim, as protocol bounds bodies.
const maxClaimDepth = 16

// JSONValue converts a claim as decoded from DAG-CBOR (values uint64,
// int64, string, bool, nil, []any, map[string]any, or map[any]any with text
// keys) into the JSON data model the schema validator reads: integers
// become json.Number. Byte strings, floats, links and anything else are
// refused with a FieldError naming the field.
func JSONValue(claim map[string]any) (any, error) { return toJSON(claim, "", 0) }

func toJSON(v any, at string, depth int) (any, error) {
	if depth > maxClaimDepth {
		return nil, fieldErr(at, "nested deeper than %d", maxClaimDepth)
	}
	switch x := v.(type) {
	case nil, bool, string:
		return x, nil
	case uint64:
		return json.Number(strconv.FormatUint(x, 10)), nil
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), nil
	case int:
		return json.Number(strconv.Itoa(x)), nil
	case uint32, uint16, uint8, uint, int32, int16, int8:
		return json.Number(fmt.Sprint(x)), nil
	case float32, float64:
		return nil, fieldErr(at, "floats are not allowed: use the field's scaled integer unit")
	case []byte:
		return nil, fieldErr(at, "byte strings are not allowed in claims")
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = toJSON(e, fmt.Sprintf("%s/%d", at, i), depth+1); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var err error
			if out[k], err = toJSON(e, at+"/"+escape(k), depth+1); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			s, ok := k.(string)
			if !ok {
				return nil, fieldErr(at, "map keys must be text, got %T", k)
			}
			m[s] = e
		}
		return toJSON(m, at, depth)
	}
	return nil, fieldErr(at, "%T values are not allowed in claims", v)
}

// native reports whether v holds only values that JSONValue would accept
// and that the schema validator reads as they are: nil, bool, string, Go
// integers, []any and map[string]any, nested at most maxClaimDepth. The
// validator takes every Go integer type as a JSON number, as it takes the
// json.Number that JSONValue would make of it.
func native(v any, depth int) bool {
	if depth > maxClaimDepth {
		return false
	}
	switch x := v.(type) {
	case nil, bool, string, uint64, int64, int, uint32, uint16, uint8, uint, int32, int16, int8:
		return true
	case []any:
		for _, e := range x {
			if !native(e, depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !native(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// ClaimFromJSON reads a claim written as a JSON object, as a user writes
// one for publishing. Numbers must be integers: they become int64 (uint64
// above math.MaxInt64). A fraction or exponent is refused with a message
// that points to the field's scaled unit. Trailing data is an error, and
// so is a key written twice in one object (JSON would keep the last).
func ClaimFromJSON(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrClaim, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrClaim)
	}
	if dups := duplicateKeys(data); len(dups) > 0 {
		return nil, duplicateError(dups)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fieldErr("", "must be a JSON object, got %s", jsonType(v))
	}
	var bad []*FieldError
	out := fromJSON(m, "", 0, &bad)
	if len(bad) > 0 {
		first := bad[0]
		first.More = bad[1:min(len(bad), maxListed)]
		return nil, first
	}
	return out.(map[string]any), nil
}

// fromJSON converts the numbers of v in place, collecting a FieldError per
// value it refuses in bad (in document order, which maps make sorted by
// key below).
func fromJSON(v any, at string, depth int, bad *[]*FieldError) any {
	if depth > maxClaimDepth {
		*bad = append(*bad, &FieldError{Field: at, Problem: fmt.Sprintf("nested deeper than %d", maxClaimDepth)})
		return v
	}
	switch x := v.(type) {
	case json.Number:
		n, err := integer(x, at)
		if err != nil {
			*bad = append(*bad, err.(*FieldError))
		}
		return n
	case []any:
		for i, e := range x {
			x[i] = fromJSON(e, fmt.Sprintf("%s/%d", at, i), depth+1, bad)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			x[k] = fromJSON(x[k], at+"/"+escape(k), depth+1, bad)
		}
	}
	return v
}

func integer(n json.Number, at string) (any, error) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, nil
	}
	if u, err := strconv.ParseUint(string(n), 10, 64); err == nil && u > math.MaxInt64 {
		return u, nil
	}
	if _, err := strconv.ParseFloat(string(n), 64); err == nil && !isDigits(string(n)) {
		return nil, fieldErr(at, "%s is not an integer: floats are not allowed, give the value in the field's scaled unit (e.g. tenths for _x10, basis points for _bp)", n)
	}
	return nil, fieldErr(at, "%s does not fit in 64 bits", n)
}

func isDigits(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9' || i == 0 && r == '-') {
			return false
		}
	}
	return true
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	}
	return "an object"
}
