package mip

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The schema validator checks "type": "integer" and numeric bounds through
// math/big: it prints each number and parses it as a fraction, twice. For
// a claim of integer fields that is most of the cost of validating it. So
// a registry also compiles a lean schema, the claim schema with "type",
// "minimum", "maximum", "exclusiveMinimum" and "exclusiveMaximum" taken out
// of every integer field it can reach through "properties" alone, and
// checks those keywords itself, exactly, on Go integers. A claim passes
// when the lean schema and those checks both pass; in every other case
// the full schema decides, and words the error.
//
// This is sound because JSON Schema keywords of one schema object are
// independent: taking some out and checking them elsewhere changes
// nothing, provided they are checked on the very instances the validator
// would have applied them to. A field reached through "properties" from
// the root applies to exactly one place in the claim, and the rewrite is
// only made when nothing else can reach it: a schema using $ref,
// $dynamicRef, $recursiveRef, $id or a nested $schema is not rewritten.

// intField is an integer field whose type and bounds the registry checks.
type intField struct {
	path     []string // property names from the root
	min, max int64    // inclusive
}

// lean returns the lean schema document of doc and the integer fields
// taken out of it, or ok false when doc is not eligible or has none.
func lean(doc map[string]any) (out map[string]any, ints []intField, ok bool) {
	if refers(doc, true) {
		return nil, nil, false
	}
	out = clone(doc).(map[string]any)
	ints = strip(out, nil)
	return out, ints, len(ints) > 0
}

// refers reports whether v uses a keyword through which one schema object
// could apply at more than one place, or under another draft.
func refers(v any, root bool) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.HasPrefix(k, "$") && k != "$comment" && k != "$defs" && !(root && k == "$schema") {
				return true
			}
			if refers(e, false) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if refers(e, false) {
				return true
			}
		}
	}
	return false
}

func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	}
	return v
}

// strip takes the integer keywords out of the fields under sch's
// "properties", recursively, and returns the fields.
func strip(sch map[string]any, path []string) []intField {
	props, _ := sch["properties"].(map[string]any)
	var ints []intField
	for name, p := range props {
		field, ok := p.(map[string]any)
		if !ok {
			continue
		}
		at := append(path[:len(path):len(path)], name)
		if f, ok := integerField(field, at); ok {
			for _, k := range [...]string{"type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"} {
				delete(field, k)
			}
			ints = append(ints, f)
		}
		ints = append(ints, strip(field, at)...)
	}
	return ints
}

// bounds are the integer keywords an intField enforces: the inclusive
// bound each gives on an integer is the schema's number plus adjust.
var bounds = [...]struct {
	key    string
	adjust int64
	lower  bool
}{
	{"minimum", 0, true}, {"exclusiveMinimum", 1, true},
	{"maximum", 0, false}, {"exclusiveMaximum", -1, false},
}

// integerField reads a schema of "type": "integer" whose bounds, if any,
// are integers that fit int64.
func integerField(sch map[string]any, path []string) (intField, bool) {
	if sch["type"] != "integer" {
		return intField{}, false
	}
	f := intField{path: path, min: math.MinInt64, max: math.MaxInt64}
	for _, b := range bounds {
		raw, ok := sch[b.key]
		if !ok {
			continue
		}
		s, _ := raw.(json.Number)
		n, err := strconv.ParseInt(string(s), 10, 64)
		if err != nil || (b.adjust == 1 && n == math.MaxInt64) || (b.adjust == -1 && n == math.MinInt64) {
			return intField{}, false
		}
		if b.lower {
			f.min = max(f.min, n+b.adjust)
		} else {
			f.max = min(f.max, n+b.adjust)
		}
	}
	return f, true
}

// holds reports whether the value at f's path, if there is one, is a Go
// integer within f's bounds. A value of any other type fails: the full
// schema judges it.
func (f intField) holds(claim map[string]any) bool {
	var v any = claim
	for _, name := range f.path {
		m, ok := v.(map[string]any)
		if !ok {
			return true // "properties" does not apply to a non-object
		}
		if v, ok = m[name]; !ok {
			return true
		}
	}
	n, ok := int64Of(v)
	return ok && f.min <= n && n <= f.max
}

// int64Of returns a Go integer as an int64, if it is one and fits.
func int64Of(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case uint:
		return int64(x), uint64(x) <= math.MaxInt64
	case uint32:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint8:
		return int64(x), true
	}
	return 0, false
}

// leanCheck is the fast path of validate: true when the claim certainly
// satisfies the full schema.
func leanCheck(sch *jsonschema.Schema, ints []intField, claim map[string]any) bool {
	for _, f := range ints {
		if !f.holds(claim) {
			return false
		}
	}
	return native(claim, 0) && sch.Validate(claim) == nil
}

// compileLean compiles the lean schema of raw, or returns nil when raw is
// not eligible.
func compileLean(ref string, raw []byte) (*jsonschema.Schema, []intField) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	root, ok := doc.(map[string]any)
	if err != nil || !ok {
		return nil, nil
	}
	out, ints, ok := lean(root)
	if !ok {
		return nil, nil
	}
	sch, err := compileDoc(ref+".lean", out)
	if err != nil {
		return nil, nil
	}
	return sch, ints
}
