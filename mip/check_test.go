package mip

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
)

func proofOf(ref string, claim map[string]any) *protocol.Proof {
	return &protocol.Proof{
		MIP: ref, Claim: claim,
		Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1},
		Period:   protocol.Period{Start: 1, End: 2},
	}
}

func checker(t *testing.T) Checker {
	t.Helper()
	kinds := protocol.DefaultKinds()
	Register(kinds)
	r := Builtins()
	nested := MIP{
		ID: "MIP-NST", Version: 1, Title: "Nested claim", Policy: Policy{Attestations: 1},
		Schema: json.RawMessage(`{"type": "object", "additionalProperties": false, "required": ["dims"],
		  "properties": {"dims": {"type": "object", "additionalProperties": false,
		    "properties": {"w_mm": {"type": "integer", "minimum": 1}, "tags": {"type": "array", "items": {"type": "string"}}}}}}`),
	}
	if err := r.Add(nested); err != nil {
		t.Fatal(err)
	}
	return Checker{Kinds: kinds, MIPs: r}
}

func TestCheck(t *testing.T) {
	c := checker(t)
	hlt, _ := c.MIPs.Lookup("MIP-HLT@1")
	bad := map[string]any{}
	for k, v := range hlt.Examples[0] {
		bad[k] = v
	}
	bad["cohort_size"] = int64(0)
	redefined := hlt
	redefined.Policy.Attestations = 1
	tests := []struct {
		name    string
		block   protocol.Block
		outcome protocol.Outcome
		reason  string
	}{
		{"good proof", sign(t, 1, protocol.KindProof, proofOf("MIP-HLT@1", hlt.Examples[0])), protocol.Accept, ""},
		{"nested claim", sign(t, 1, protocol.KindProof, proofOf("MIP-NST@1",
			map[string]any{"dims": map[string]any{"w_mm": 40, "tags": []any{"a"}}})), protocol.Accept, ""},
		{"nested claim wrong", sign(t, 1, protocol.KindProof, proofOf("MIP-NST@1",
			map[string]any{"dims": map[string]any{"w_mm": 0}})), protocol.Reject, `proof under MIP-NST@1: claim field "/dims/w_mm": must be >= 1, got 0`},
		{"nested bytes", sign(t, 1, protocol.KindProof, proofOf("MIP-NST@1",
			map[string]any{"dims": map[string]any{"tags": []any{[]byte("a")}}})), protocol.Reject, `claim field "/dims/tags/0": byte strings`},
		{"bad claim", sign(t, 1, protocol.KindProof, proofOf("MIP-HLT@1", bad)), protocol.Reject,
			`proof under MIP-HLT@1: claim field "/cohort_size": must be >= 1, got 0`},
		{"unknown mip", sign(t, 1, protocol.KindProof, proofOf("MIP-NEW@1", bad)), protocol.Ignore, "unknown MIP: MIP-NEW@1"},
		{"bad proof body", sign(t, 1, protocol.KindProof, proofOf("health", bad)), protocol.Reject, "is not of the form MIP-XXX@N"},
		{"unknown field in body", sign(t, 1, protocol.KindProof, map[string]any{"mip": "MIP-HLT@1", "x": 1}), protocol.Reject, "proof body"},
		{"unknown kind", sign(t, 1, "offer", map[string]any{"x": 1}), protocol.Accept, ""},
		{"mip entry", sign(t, 1, protocol.KindMIP, DocOf(widget(1))), protocol.Accept, ""},
		{"mip entry republishing a built-in", sign(t, 1, protocol.KindMIP, DocOf(hlt)), protocol.Accept, ""},
		{"mip entry redefining a built-in", sign(t, 1, protocol.KindMIP, DocOf(redefined)), protocol.Reject, "built-in MIP cannot be redefined: MIP-HLT@1"},
		{"bad mip entry", sign(t, 1, protocol.KindMIP, Doc{ID: "MIP-X", Version: 1}), protocol.Reject, "mip body"},
		{"attest", sign(t, 1, protocol.KindAttest, map[string]any{"verdict": "maybe"}), protocol.Reject, "attest body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.Check(tt.block)
			if v.Outcome != tt.outcome {
				t.Fatalf("outcome %v (%v), want %v", v.Outcome, v.Reason, tt.outcome)
			}
			if tt.reason == "" {
				if v.Reason != nil {
					t.Fatalf("reason %v on accept", v.Reason)
				}
				return
			}
			if v.Reason == nil || !strings.Contains(v.Reason.Error(), tt.reason) {
				t.Fatalf("reason %v, want %q", v.Reason, tt.reason)
			}
		})
	}
}

func TestCheckZeroChecker(t *testing.T) {
	b := sign(t, 1, protocol.KindProof, proofOf("MIP-HLT@1", map[string]any{}))
	if v := (Checker{}).Check(b); v.Outcome != protocol.Ignore {
		t.Fatalf("zero Checker: %v, want ignore", v.Outcome)
	}
	kinds := protocol.DefaultKinds()
	if v := (Checker{Kinds: kinds}).Check(b); v.Outcome != protocol.Ignore || !errors.Is(v.Reason, ErrUnknownMIP) {
		t.Fatalf("no registry: %v %v, want ignore for unknown MIP", v.Outcome, v.Reason)
	}
}

func TestCheckBytes(t *testing.T) {
	c := checker(t)
	hlt, _ := c.MIPs.Lookup("MIP-HLT@1")
	good := sign(t, 1, protocol.KindProof, proofOf("MIP-HLT@1", hlt.Examples[0]))
	b, v := c.CheckBytes(good.Data)
	if v.Outcome != protocol.Accept || !b.CID.Equals(good.CID) {
		t.Fatalf("good entry: %v %v", v.Outcome, v.Reason)
	}
	tampered := append([]byte(nil), good.Data...)
	tampered[len(tampered)-1] ^= 1 // inside the signature
	garbage := []byte{0xa1, 0x61}
	for name, data := range map[string][]byte{"tampered": tampered, "garbage": garbage, "empty": nil} {
		if _, v := c.CheckBytes(data); v.Outcome != protocol.Reject || v.Reason == nil {
			t.Errorf("%s: %v, want reject with a reason", name, v.Outcome)
		}
	}
}

// With a clock, an entry dated more than protocol.MaxFuture ahead is
// Ignored before its body is looked at; one inside the window is judged.
func TestCheckTimeWindow(t *testing.T) {
	c := checker(t)
	hlt, _ := c.MIPs.Lookup("MIP-HLT@1")
	b := sign(t, 1, protocol.KindProof, proofOf("MIP-HLT@1", hlt.Examples[0]))
	at := time.UnixMilli(b.Entry.Time)
	for _, tt := range []struct {
		now  time.Time
		want protocol.Outcome
	}{
		{at.Add(-protocol.MaxFuture - time.Millisecond), protocol.Ignore},
		{at.Add(-protocol.MaxFuture), protocol.Accept},
		{at, protocol.Accept},
	} {
		c.Now = func() time.Time { return tt.now }
		v := c.Check(b)
		if v.Outcome != tt.want {
			t.Errorf("entry %v ahead: %v (%v), want %v", at.Sub(tt.now), v.Outcome, v.Reason, tt.want)
		}
		if tt.want == protocol.Ignore && !errors.Is(v.Reason, protocol.ErrFuture) {
			t.Errorf("reason %v, want ErrFuture", v.Reason)
		}
	}
}
