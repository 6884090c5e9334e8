package mip

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// CondValue checks a pledge condition, FIELD OP RAW as a user wrote it,
// against the claim schema of the MIP ref names, and returns the value the
// condition compares with: an int64 (uint64 above math.MaxInt64) for an
// integer field, a string for a string field. The rules:
//
//   - FIELD is a dotted path of properties the schema declares; an
//     unknown name is an error that suggests the nearest declared one;
//   - an integer field takes an integer RAW and any operator;
//   - a string field takes = and != only;
//   - with = and !=, RAW must be one of the field's enum values, if it
//     has an enum;
//   - a field of another type (boolean, array, object, number with
//     fractions) cannot be compared and is an error.
//
// A field whose schema says nothing of its type takes RAW as an integer
// when it reads as one, else as a string. Errors wrap ErrClaim and name
// the field.
func (r *Registry) CondValue(ref, field, op, raw string) (any, error) {
	d := r.find(ref)
	if d == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownMIP, ref)
	}
	sch, err := fieldSchema(d.schema, ref, field)
	if err != nil {
		return nil, err
	}
	return condValue(sch, ref, field, op, raw)
}

// condError is an error about one condition; it wraps ErrClaim.
type condError struct{ msg string }

func (e *condError) Error() string { return e.msg }
func (e *condError) Unwrap() error { return ErrClaim }

func condErr(format string, args ...any) error {
	return &condError{fmt.Sprintf(format, args...)}
}

// fieldSchema walks the dotted path through "properties".
func fieldSchema(root *jsonschema.Schema, ref, field string) (*jsonschema.Schema, error) {
	cur := root
	for i, part := range strings.Split(field, ".") {
		props := properties(cur)
		sub, ok := props[part]
		if !ok {
			at := strings.Join(strings.Split(field, ".")[:i], ".")
			return nil, unknownField(ref, at, part, slices.Sorted(maps.Keys(props)))
		}
		cur = sub
	}
	return cur, nil
}

// properties returns the properties a schema object declares, following
// a $ref when it declares none itself.
func properties(s *jsonschema.Schema) map[string]*jsonschema.Schema {
	for range maxClaimDepth {
		if s == nil {
			return nil
		}
		if len(s.Properties) > 0 || s.Ref == nil {
			return s.Properties
		}
		s = s.Ref
	}
	return nil
}

func unknownField(ref, at, name string, known []string) error {
	where := ref
	if at != "" {
		where = ref + " (under " + at + ")"
	}
	if len(known) == 0 {
		return condErr("field %q: %s declares no fields there", name, where)
	}
	if near := Nearest(name, known); near != "" {
		full := near
		if at != "" {
			full = at + "." + near
		}
		return condErr("field %q is not a field of %s: did you mean %s?", name, where, full)
	}
	return condErr("field %q is not a field of %s: its fields are %s", name, where, strings.Join(known, ", "))
}

// condValue types raw by the field's schema and checks op and enum.
func condValue(sch *jsonschema.Schema, ref, field, op, raw string) (any, error) {
	isInt, isStr, other := kinds(sch)
	switch {
	case isInt && !isStr:
		n, ok := parseInt(raw)
		if !ok {
			return nil, condErr("field %s of %s is an integer: %q is not one", field, ref, raw)
		}
		if op != "=" && op != "!=" {
			return n, nil
		}
		return n, inEnum(sch, field, n)
	case isStr && !isInt:
		if op != "=" && op != "!=" {
			return nil, condErr("field %s of %s is a string: compare it with = or !=, not %s", field, ref, op)
		}
		return raw, inEnum(sch, field, raw)
	case isStr && isInt:
		if n, ok := parseInt(raw); ok {
			return n, nil
		}
		if op != "=" && op != "!=" {
			return nil, condErr("%q is not an integer: compare the string with = or !=, not %s", raw, op)
		}
		return raw, nil
	case other != "":
		return nil, condErr("field %s of %s is %s: conditions compare integers and strings only", field, ref, other)
	}
	if n, ok := parseInt(raw); ok {
		return n, nil
	}
	if op != "=" && op != "!=" {
		return nil, condErr("%q is not an integer: compare a string with = or !=, not %s", raw, op)
	}
	return raw, nil
}

// kinds says whether a field holds integers, strings, or (other) only a
// type no condition compares. A schema with neither types nor an enum
// says nothing: all false.
func kinds(sch *jsonschema.Schema) (isInt, isStr bool, other string) {
	for range maxClaimDepth {
		if sch.Types != nil || sch.Enum != nil || sch.Const != nil || sch.Ref == nil {
			break
		}
		sch = sch.Ref
	}
	var types []string
	if sch.Types != nil {
		types = sch.Types.ToStrings()
	}
	if sch.Enum != nil {
		for _, v := range sch.Enum.Values {
			types = append(types, valueType(v))
		}
	}
	if sch.Const != nil {
		types = append(types, valueType(*sch.Const))
	}
	for _, t := range types {
		switch t {
		case "integer":
			isInt = true
		case "string":
			isStr = true
		case "number":
			other = "a number that may have fractions"
		default:
			if other == "" {
				other = "of type " + t
			}
		}
	}
	return isInt, isStr, other
}

func valueType(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case nil:
		return "null"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		if _, ok := parseInt(fmt.Sprint(x)); ok {
			return "integer"
		}
		return "number"
	}
}

// inEnum checks an equality value against the field's enum, if any.
func inEnum(sch *jsonschema.Schema, field string, v any) error {
	if sch.Enum == nil {
		return nil
	}
	var names []string
	for _, e := range sch.Enum.Values {
		if fmt.Sprint(e) == fmt.Sprint(v) {
			return nil
		}
		names = append(names, fmt.Sprint(e))
	}
	msg := fmt.Sprintf("%s %s is not one of its values (%s)", field, show(v), strings.Join(names, ", "))
	if s, ok := v.(string); ok {
		if near := Nearest(s, names); near != "" {
			msg = fmt.Sprintf("%s %q is not one of its values: did you mean %s?", field, s, near)
		}
	}
	return condErr("%s", msg)
}

// parseInt reads a decimal integer: an int64, or a uint64 above
// math.MaxInt64.
func parseInt(s string) (any, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if u, err := strconv.ParseUint(s, 10, 64); err == nil && u > math.MaxInt64 {
		return u, true
	}
	return nil, false
}

// Nearest returns the name in names closest to s by edit distance, when
// it is close enough to be a likely typo (or s is a prefix of it), else "".
func Nearest(s string, names []string) string {
	best, bestD := "", -1
	for _, n := range names {
		d := editDistance(strings.ToLower(s), strings.ToLower(n))
		if strings.HasPrefix(n, s) && len(s) >= 3 {
			d = min(d, 1)
		}
		if bestD < 0 || d < bestD {
			best, bestD = n, d
		}
	}
	if bestD >= 0 && bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

// EditDistance is the Levenshtein distance of two short strings, in
// runes.
func EditDistance(a, b string) int { return editDistance(a, b) }

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
