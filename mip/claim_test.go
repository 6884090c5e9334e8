package mip

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestJSONValue(t *testing.T) {
	tests := []struct {
		name  string
		claim map[string]any
		want  any
		err   string
	}{
		{"integers", map[string]any{"a": uint64(7), "b": int64(-3), "c": 5},
			map[string]any{"a": json.Number("7"), "b": json.Number("-3"), "c": json.Number("5")}, ""},
		{"max uint64", map[string]any{"a": uint64(math.MaxUint64)},
			map[string]any{"a": json.Number("18446744073709551615")}, ""},
		{"scalars", map[string]any{"s": "x", "t": true, "n": nil},
			map[string]any{"s": "x", "t": true, "n": nil}, ""},
		{"nested cbor map", map[string]any{"m": map[any]any{"k": []any{uint64(1)}}},
			map[string]any{"m": map[string]any{"k": []any{json.Number("1")}}}, ""},
		{"bytes", map[string]any{"b": []byte{1}}, nil, `claim field "/b": byte strings are not allowed in claims`},
		{"float", map[string]any{"f": 1.5}, nil, `claim field "/f": floats are not allowed: use the field's scaled integer unit`},
		{"float in list", map[string]any{"l": []any{uint64(1), float32(2)}}, nil, `claim field "/l/1": floats are not allowed`},
		{"int key", map[string]any{"m": map[any]any{uint64(1): "x"}}, nil, `claim field "/m": map keys must be text, got uint64`},
		{"other type", map[string]any{"x": struct{}{}}, nil, `claim field "/x": struct {} values are not allowed in claims`},
		{"escaped pointer", map[string]any{"a/b": []byte{}}, nil, `claim field "/a~1b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := JSONValue(tt.claim)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrClaim) {
					t.Fatalf("err = %v, want %q wrapping ErrClaim", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, %v; want %#v", got, err, tt.want)
			}
		})
	}
}

func TestJSONValueDepth(t *testing.T) {
	var v any = uint64(1)
	for range maxClaimDepth + 2 {
		v = []any{v}
	}
	if _, err := JSONValue(map[string]any{"deep": v}); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Fatalf("err = %v, want nesting error", err)
	}
}

func TestClaimFromJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]any
		err  string
	}{
		{"integers", `{"a": 1, "b": -2, "c": 18446744073709551615}`,
			map[string]any{"a": int64(1), "b": int64(-2), "c": uint64(math.MaxUint64)}, ""},
		{"nested", `{"l": [1, {"x": 2}], "s": "t", "n": null, "ok": false}`,
			map[string]any{"l": []any{int64(1), map[string]any{"x": int64(2)}}, "s": "t", "n": nil, "ok": false}, ""},
		{"fraction", `{"baseline_x10": 68.5}`, nil,
			`claim field "/baseline_x10": 68.5 is not an integer: floats are not allowed, give the value in the field's scaled unit`},
		{"exponent", `{"e": 1e3}`, nil, `claim field "/e": 1e3 is not an integer: floats are not allowed`},
		{"integral float", `{"e": 2.0}`, nil, `2.0 is not an integer`},
		{"float in list", `{"l": [1, 2.5]}`, nil, `claim field "/l/1": 2.5 is not an integer`},
		{"too big", `{"n": 18446744073709551616}`, nil, `claim field "/n": 18446744073709551616 does not fit in 64 bits`},
		{"too small", `{"n": -9223372036854775809}`, nil, `does not fit in 64 bits`},
		{"not object", `[1]`, nil, `claim: must be a JSON object, got an array`},
		{"trailing", `{"a": 1} {"b": 2}`, nil, `trailing data`},
		{"not json", `{"a": }`, nil, `not JSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ClaimFromJSON([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrClaim) {
					t.Fatalf("err = %v, want %q wrapping ErrClaim", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, %v; want %#v", got, err, tt.want)
			}
		})
	}
}

func FuzzClaimFromJSON(f *testing.F) {
	f.Add([]byte(`{"cohort_size": 240, "unit": "mmol_mol"}`))
	f.Add([]byte(`{"a": [1, 2.5, {"b": null}]}`))
	r := Builtins()
	f.Fuzz(func(t *testing.T, data []byte) {
		claim, err := ClaimFromJSON(data)
		if err != nil {
			return
		}
		// Whatever parses converts back for the validator and is judged
		// without panicking.
		if _, err := JSONValue(claim); err != nil {
			t.Fatalf("JSONValue of a parsed claim: %v", err)
		}
		_ = r.CheckClaim("MIP-HLT@1", claim)
	})
}
