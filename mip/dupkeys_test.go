package mip

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDuplicateKeys(t *testing.T) {
	cases := map[string][]string{
		`{"a": 1, "b": 2}`:         nil,
		`{"a": 1, "a": 2}`:         {"/a"},
		`{"a": 1, "a": 2, "a": 3}`: {"/a"},
		`{"n": {"x": 1, "x": 2}, "m": [{"y": 1, "y": 2}, {"y": 3}]}`: {"/n/x", "/m/0/y"},
		`{"a~b/c": 1, "a~b/c": 1}`:                                   {"/a~0b~1c"},
		`{"a": [1, {"a": 2}], "b": {"a": 3}}`:                        nil,
	}
	for in, want := range cases {
		if got := duplicateKeys([]byte(in)); !slices.Equal(got, want) {
			t.Errorf("duplicateKeys(%s) = %q, want %q", in, got, want)
		}
	}
}

// TestClaimDuplicateKeyRefused: a claim with a key written twice is
// refused naming the key, not read with the last value.
func TestClaimDuplicateKeyRefused(t *testing.T) {
	_, err := ClaimFromJSON([]byte(`{"cohort_size": 240, "measure": "hba1c", "cohort_size": 24}`))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "/cohort_size" || !errors.Is(err, ErrClaim) {
		t.Fatalf("duplicate key: %v", err)
	}
}

// TestClaimErrorsListed: every bad value of a claim is named in one error.
func TestClaimErrorsListed(t *testing.T) {
	_, err := ClaimFromJSON([]byte(`{"baseline_x10": 68.5, "outcome_x10": 58.3}`))
	if err == nil || !strings.Contains(err.Error(), `"/baseline_x10"`) || !strings.Contains(err.Error(), `"/outcome_x10"`) {
		t.Fatalf("two floats: %v", err)
	}
	claim, _ := ClaimFromJSON([]byte(`{"cohort_size": 0, "measure": "walking", "unit": "mmol_mol", "baseline_x10": 1, "outcome_x10": 1, "period_days": 0, "method": "rct"}`))
	err = Builtins().CheckClaim("MIP-HLT@1", claim)
	for _, f := range []string{`"/cohort_size"`, `"/measure"`, `"/period_days"`} {
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Fatalf("schema errors: %v, want %s named", err, f)
		}
	}
}
