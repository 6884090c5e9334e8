package mip

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

// widgetSchema is a small claim schema for tests.
const widgetSchema = `{
  "type": "object", "additionalProperties": false, "required": ["count"],
  "properties": {"count": {"type": "integer", "minimum": 1, "maximum": 100},
                 "colour": {"enum": ["red", "blue"]}}}`

func widget(version int) MIP {
	return MIP{
		ID: "MIP-WDG", Version: version, Title: "Widgets made",
		Schema: json.RawMessage(widgetSchema), Policy: Policy{Attestations: 2},
		Examples: []map[string]any{{"count": int64(3)}},
	}
}

func TestBuiltins(t *testing.T) {
	r := Builtins()
	want := []string{"MIP-AGR@1", "MIP-BLD@1", "MIP-CAP@1", "MIP-EDU@1", "MIP-ENR@1", "MIP-HLT@1", "MIP-MFG@1", "MIP-SCM@1"}
	list := r.List()
	if len(list) != len(want) {
		t.Fatalf("%d built-ins, want %d", len(list), len(want))
	}
	for i, m := range list {
		if m.Ref() != want[i] {
			t.Errorf("List()[%d] = %s, want %s", i, m.Ref(), want[i])
		}
		if len(m.Examples) < 2 {
			t.Errorf("%s has %d examples, want >= 2", m.Ref(), len(m.Examples))
		}
		for j, ex := range m.Examples {
			if err := r.CheckClaim(m.Ref(), ex); err != nil {
				t.Errorf("%s example %d: %v", m.Ref(), j, err)
			}
		}
		if a := m.Policy.Attestations; a < 1 || a > 2 {
			t.Errorf("%s needs %d attestations", m.Ref(), a)
		}
		if !strings.Contains(string(m.Schema), `"additionalProperties":false`) {
			t.Errorf("%s schema allows unknown fields", m.Ref())
		}
	}
	// Each call gives an independent registry.
	if err := r.Add(widget(1)); err != nil {
		t.Fatal(err)
	}
	if _, ok := Builtins().Lookup("MIP-WDG@1"); ok {
		t.Error("Add to one Builtins registry leaked into another")
	}
}

func TestAdd(t *testing.T) {
	bad := func(mut func(*MIP)) MIP { m := widget(1); mut(&m); return m }
	tests := []struct {
		name string
		m    MIP
		err  error
		msg  string
	}{
		{"ok", widget(1), nil, ""},
		{"bad id", bad(func(m *MIP) { m.ID = "HLT" }), ErrBadMIP, `ref "HLT@1" is not of the form`},
		{"version 0", bad(func(m *MIP) { m.Version = 0 }), ErrBadMIP, "not of the form"},
		{"no title", bad(func(m *MIP) { m.Title = "" }), ErrBadMIP, "title must be 1 to 120 bytes"},
		{"no attestations", bad(func(m *MIP) { m.Policy.Attestations = 0 }), ErrBadMIP, "needs 1 to 64 attestations, got 0"},
		{"not json", bad(func(m *MIP) { m.Schema = json.RawMessage(`{`) }), ErrBadSchema, "MIP-WDG@1"},
		{"not object", bad(func(m *MIP) { m.Schema = json.RawMessage(`{"type": "array"}`) }), ErrBadSchema, `root must be an object schema`},
		{"old draft", bad(func(m *MIP) {
			m.Schema = json.RawMessage(`{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}`)
		}), ErrBadSchema, "$schema must be https://json-schema.org/draft/2020-12/schema"},
		{"external ref", bad(func(m *MIP) {
			m.Schema = json.RawMessage(`{"type": "object", "properties": {"a": {"$ref": "file:///etc/passwd"}}}`)
		}), ErrBadSchema, "must be self-contained"},
		{"invalid keyword", bad(func(m *MIP) { m.Schema = json.RawMessage(`{"type": "object", "minProperties": "x"}`) }), ErrBadSchema, "MIP-WDG@1"},
		{"bad example", bad(func(m *MIP) { m.Examples = []map[string]any{{"count": int64(0)}} }), ErrClaim,
			`MIP-WDG@1 example 1: claim field "/count": must be >= 1, got 0`},
		{"huge schema", bad(func(m *MIP) { m.Schema = json.RawMessage(`"` + strings.Repeat("x", MaxSchema) + `"`) }), ErrBadSchema, "limit 32768"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New()
			err := r.Add(tt.m)
			if tt.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.err, tt.msg)
			}
			if len(r.List()) != 0 {
				t.Error("a refused MIP was added")
			}
		})
	}
}

func TestAddDuplicate(t *testing.T) {
	r := New()
	if err := r.Add(widget(1)); err != nil {
		t.Fatal(err)
	}
	again := widget(1)
	again.Schema = json.RawMessage(strings.ReplaceAll(widgetSchema, "\n", " ")) // same JSON, other spacing
	again.Examples = nil
	if err := r.Add(again); err != nil {
		t.Fatalf("same definition again: %v", err)
	}
	other := widget(1)
	other.Policy.Attestations = 3
	if err := r.Add(other); !errors.Is(err, ErrConflict) {
		t.Fatalf("different definition: err = %v, want ErrConflict", err)
	}
	if m, _ := r.Lookup("MIP-WDG@1"); m.Policy.Attestations != 2 {
		t.Error("a conflicting Add replaced the definition")
	}
}

func TestLookup(t *testing.T) {
	r := New()
	for _, v := range []int{1, 3, 2} {
		if err := r.Add(widget(v)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		ref     string
		version int
		ok      bool
	}{
		{"MIP-WDG@1", 1, true},
		{"MIP-WDG@2", 2, true},
		{"MIP-WDG", 3, true}, // latest
		{"MIP-WDG@4", 0, false},
		{"MIP-XYZ", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		m, ok := r.Lookup(tt.ref)
		if ok != tt.ok || m.Version != tt.version {
			t.Errorf("Lookup(%q) = v%d, %v; want v%d, %v", tt.ref, m.Version, ok, tt.version, tt.ok)
		}
	}
	list := r.List()
	if len(list) != 3 || list[0].Version != 1 || list[2].Version != 3 {
		t.Errorf("List not sorted by version: %v", list)
	}
}

func TestCheckClaim(t *testing.T) {
	r := Builtins()
	good := func() map[string]any {
		m, _ := r.Lookup("MIP-HLT@1")
		c := map[string]any{}
		for k, v := range m.Examples[0] {
			c[k] = v
		}
		return c
	}
	with := func(k string, v any) map[string]any { c := good(); c[k] = v; return c }
	tests := []struct {
		name  string
		ref   string
		claim map[string]any
		err   error
		msg   string
	}{
		{"ok", "MIP-HLT@1", good(), nil, ""},
		{"cbor integer types", "MIP-HLT@1", with("cohort_size", uint64(240)), nil, ""},
		{"unknown mip", "MIP-ZZZ@1", good(), ErrUnknownMIP, "MIP-ZZZ@1"},
		{"bare id", "MIP-HLT", good(), ErrUnknownMIP, "not of the form"},
		{"nil claim", "MIP-HLT@1", nil, ErrClaim, "claim: is missing"},
		{"range", "MIP-HLT@1", with("cohort_size", int64(0)), ErrClaim, `claim field "/cohort_size": must be >= 1, got 0`},
		{"bytes", "MIP-HLT@1", with("unit", []byte("mmhg")), ErrClaim, `claim field "/unit": byte strings are not allowed`},
		{"pattern", "MIP-HLT@1", with("condition_icd10", "diabetes"), ErrClaim,
			`claim field "/condition_icd10": "diabetes" does not match ^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$`},
		{"several wrong", "MIP-HLT@1", map[string]any{"zz": int64(1)}, ErrClaim,
			`claim field "/baseline_x10": is required; claim field "/cohort_size": is required; claim field "/measure": is required; claim field "/method": is required; claim field "/outcome_x10": is required; claim field "/period_days": is required; claim field "/unit": is required; claim field "/zz": is not a field of this MIP`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.CheckClaim(tt.ref, tt.claim)
			if tt.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.err, tt.msg)
			}
		})
	}
}

// TestCheckClaimDeterministic: with several wrong fields, the message is the
// same on every run, whatever order the validator visits them in.
func TestCheckClaimDeterministic(t *testing.T) {
	r := Builtins()
	claim := map[string]any{"a": int64(1), "b": int64(2), "cohort_size": "x", "measure": "nope"}
	first := r.CheckClaim("MIP-HLT@1", claim).Error()
	for range 50 {
		if got := r.CheckClaim("MIP-HLT@1", claim).Error(); got != first {
			t.Fatalf("message changed: %q then %q", first, got)
		}
	}
	if want := `claim field "/a": is not a field of this MIP`; !strings.HasPrefix(first, want) {
		t.Errorf("got %q, want prefix %q", first, want)
	}
}

// TestConcurrent: loads, adds and checks race freely (run with -race).
func TestConcurrent(t *testing.T) {
	r := Builtins()
	hlt, _ := r.Lookup("MIP-HLT@1")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_ = r.Add(widget(i + 1))
			_ = r.Load(sign(t, byte(i+1), protocol.KindMIP, DocOf(widget(10+i))))
		}()
		go func() {
			defer wg.Done()
			for range 20 {
				if err := r.CheckClaim("MIP-HLT@1", hlt.Examples[0]); err != nil {
					t.Error(err)
				}
				_ = r.List()
			}
		}()
	}
	wg.Wait()
	if n := len(r.List()); n != 16 {
		t.Errorf("%d MIPs after concurrent adds, want 16", n)
	}
}
