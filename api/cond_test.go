package api

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/mip/miptest"
)

func TestParseCondStrict(t *testing.T) {
	for in, want := range map[string]string{
		"cohort_size=>5":  `operator "=>" is not one of >= <= = > < !=: did you mean cohort_size>=5?`,
		"cohort_size=<5":  "did you mean cohort_size<=5?",
		"measure==hba1c":  "did you mean measure=hba1c?",
		"cohort_size<>5":  "did you mean cohort_size!=5?",
		"cohort_size≥5":   "did you mean cohort_size>=5?",
		"cohort_size=!>5": `operator "=!>"`,
		">=5":             "names no field",
		"cohort_size>=":   "has no value",
		"cohort_size":     "has no operator",
	} {
		_, err := ParseCond(in)
		if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCond(%q) = %v, want %q", in, err, want)
		}
	}
	c, err := ParseCond(" cohort_size >= 100 ")
	if err != nil || c.Field != "cohort_size" || c.Op != ">=" || c.Value != int64(100) {
		t.Fatalf("spaced condition: %+v %v", c, err)
	}
}

// TestPledgeWhereSchema: conditions are checked against the MIP's claim
// schema, every bad one listed at once, and nothing is written.
func TestPledgeWhereSchema(t *testing.T) {
	f := newFixture(t)
	req := PledgeRequest{MIP: "MIP-HLT@1", Amount: 1, Unit: "credit", Cap: 10, District: "meso-valley/north"}
	req.Where = []string{"cohort>=5", "measure=hba1x", "cohort_size>=many", "measure>=a"}
	_, err := f.client.Pledge(t.Context(), req)
	for _, want := range []string{"did you mean cohort_size?", "did you mean hba1c?", "is an integer", "compare it with = or !="} {
		if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), want) {
			t.Errorf("pledge: %v, want %q", err, want)
		}
	}
	if h, _ := f.vault.Head(f.vault.ID()); h.Seq != 0 {
		t.Fatalf("refused pledges wrote seq %d", h.Seq)
	}
	req.Where = []string{"cohort_size>=100", "condition_icd10=E11"}
	if _, err := f.client.Pledge(t.Context(), req); err != nil {
		t.Fatal(err)
	}
}

// TestPledgeWherePublishedMIP: a MIP published in the vault is checked
// like a built-in one.
func TestPledgeWherePublishedMIP(t *testing.T) {
	l, v := newLocal(t)
	def, _ := miptest.Published(t, "valley/north")
	if _, err := l.ImportBundle(t.Context(), bytes.NewReader(miptest.Bundle(t, def))); err != nil {
		t.Fatal(err)
	}
	reg, err := VaultMIPs(v)
	if err != nil {
		t.Fatal(err)
	}
	l.Registry = reg
	req := PledgeRequest{MIP: miptest.Ref, Amount: 1, Unit: "credit", Cap: 10, District: "valley/north", Where: []string{"cohort>=5"}}
	if _, err := l.Pledge(t.Context(), req); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "MIP-TST@1: did you mean cohort_size?") {
		t.Fatalf("published MIP: %v", err)
	}
	req.Where = []string{"cohort_size>=5"}
	if _, err := l.Pledge(t.Context(), req); err != nil {
		t.Fatal(err)
	}
}

// TestParseCondOrderingNeedsInteger: an ordering operator with a VALUE
// that is no integer says so, not that the field is a string.
func TestParseCondOrderingNeedsInteger(t *testing.T) {
	for _, s := range []string{"cohort_size>=abc", "cohort_size>=5.5", "cohort_size<99999999999999999999999"} {
		_, err := ParseCond(s)
		if err == nil || !strings.Contains(err.Error(), "is not an integer") || strings.Contains(err.Error(), "on a string") || strings.Contains(err.Error(), "bad body") {
			t.Errorf("ParseCond(%q): %v, want it to say the value is not an integer", s, err)
		}
	}
}
