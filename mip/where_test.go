package mip_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/mip"
)

func TestCondValue(t *testing.T) {
	reg := mip.Builtins()
	good := []struct {
		field, op, raw string
		want           any
	}{
		{"cohort_size", ">=", "100", int64(100)},
		{"measure", "=", "hba1c", "hba1c"},
		{"measure", "!=", "bmi", "bmi"},
		{"condition_icd10", "=", "E11", "E11"},
		{"population", "=", "adults", "adults"},
	}
	for _, g := range good {
		v, err := reg.CondValue("MIP-HLT@1", g.field, g.op, g.raw)
		if err != nil || v != g.want {
			t.Errorf("%s%s%s: %#v, %v; want %#v", g.field, g.op, g.raw, v, err, g.want)
		}
	}
	bad := []struct {
		field, op, raw, want string
	}{
		{"cohort", ">=", "5", "did you mean cohort_size?"},
		{"cohort_sise", ">=", "5", "did you mean cohort_size?"},
		{"zzzzzz", "=", "1", "its fields are"},
		{"cohort_size", ">=", "many", "is an integer"},
		{"cohort_size", ">=", ">5", "is an integer"},
		{"measure", ">=", "hba1c", "compare it with = or !="},
		{"measure", "=", "hba1x", "did you mean hba1c?"},
		{"measure", "=", "walking", "not one of its values"},
		{"cohort_size.x", "=", "1", "declares no fields"},
	}
	for _, b := range bad {
		_, err := reg.CondValue("MIP-HLT@1", b.field, b.op, b.raw)
		if !errors.Is(err, mip.ErrClaim) || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s%s%s: %v, want %q", b.field, b.op, b.raw, err, b.want)
		}
	}
	if _, err := reg.CondValue("MIP-NOPE@1", "x", "=", "1"); !errors.Is(err, mip.ErrUnknownMIP) {
		t.Errorf("unknown MIP: %v", err)
	}
}

func TestNearest(t *testing.T) {
	names := []string{"cohort_size", "measure", "unit"}
	for in, want := range map[string]string{"cohort": "cohort_size", "mesure": "measure", "Unit": "unit", "population": ""} {
		if got := mip.Nearest(in, names); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}
