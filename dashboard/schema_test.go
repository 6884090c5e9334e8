package dashboard

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/mesocosm/mycel/mip"
)

func hltProps(t *testing.T) props {
	t.Helper()
	m, ok := mip.Builtins().Lookup("MIP-HLT@1")
	if !ok {
		t.Fatal("no MIP-HLT@1")
	}
	raw, err := json.Marshal(m.Schema)
	if err != nil {
		t.Fatal(err)
	}
	return schemaProps(raw)
}

func TestSchemaProps(t *testing.T) {
	ps := hltProps(t)
	if len(ps.list) == 0 {
		t.Fatal("no fields read from MIP-HLT@1's schema")
	}
	c := ps.byName["cohort_size"]
	if c == nil || c.Type != "integer" || !c.Required || c.Min != "1" || c.Description == "" {
		t.Fatalf("cohort_size = %+v", c)
	}
	if m := ps.byName["measure"]; m == nil || m.Type != "enum" || !slices.Contains(m.Enum, "hba1c") {
		t.Fatalf("measure = %+v", m)
	}
}

func TestObjectKeysInOrder(t *testing.T) {
	got := objectKeys(json.RawMessage(`{"b": {"x": 1}, "a": [1, 2], "c": "s"}`))
	if !slices.Equal(got, []string{"b", "a", "c"}) {
		t.Fatalf("keys %v", got)
	}
	if objectKeys(json.RawMessage(`[1]`)) != nil {
		t.Fatal("keys of an array")
	}
}

func TestClaimFromForm(t *testing.T) {
	ps := hltProps(t)
	form := map[string]string{"cohort_size": "240", "measure": "hba1c", "period_days": "ten"}
	raw, err := ps.claim(func(k string) string { return form[k] })
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.Unmarshal(raw, &got)
	if got["cohort_size"] != float64(240) || got["measure"] != "hba1c" || got["period_days"] != "ten" {
		t.Fatalf("claim %s", raw)
	}
	if _, ok := got["unit"]; ok {
		t.Fatal("an empty field went into the claim")
	}
}

// TestPlaceErrors: each problem of the API's claim error goes next to
// its field; the rest stays for the form.
func TestPlaceErrors(t *testing.T) {
	ps := hltProps(t)
	msg := `claim field "/cohort_size": must be >= 1, got 0; claim field "/unit": value must be one of "mmol_mol", "mmhg"; claim field "/nope": not allowed; claim: and 2 more (schema of MIP-HLT@1)`
	rest := ps.place(msg)
	if got := ps.byName["cohort_size"].Err; got != "must be >= 1, got 0" {
		t.Errorf("cohort_size error %q", got)
	}
	if got := ps.byName["unit"].Err; got != `value must be one of "mmol_mol", "mmhg"` {
		t.Errorf("unit error %q", got)
	}
	if rest != `field "nope": not allowed; claim: and 2 more` {
		t.Errorf("rest %q", rest)
	}
	if got := (props{byName: map[string]*prop{}}).place("no claim given"); got != "no claim given" {
		t.Errorf("plain error became %q", got)
	}
}
