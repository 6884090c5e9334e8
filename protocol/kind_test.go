package protocol

import (
	"errors"
	"strings"
	"testing"
)

func proofBody(t testing.TB) *Proof {
	leaves, _, _ := testLeaves(3)
	root := Root(leaves)
	return &Proof{
		MIP:      "MIP-HLT@1",
		Claim:    map[string]any{"metric": "bp-systolic", "value": int64(128), "ok": true},
		Evidence: Commitment{Root: root[:], Count: 3},
		Period:   Period{Start: 1700000000000, End: 1700086400000},
	}
}

func TestKindsDecode(t *testing.T) {
	kinds := DefaultKinds()
	good := mustMarshal(t, proofBody(t))
	b, err := kinds.Decode(Entry{Kind: KindProof, Body: good})
	if err != nil {
		t.Fatal(err)
	}
	if p := b.(*Proof); p.MIP != "MIP-HLT@1" || p.Evidence.Count != 3 {
		t.Fatalf("decoded %+v", p)
	}
	attest := attestBody(t, "ok")
	withField := func(body []byte, key string, val []byte) []byte {
		var p []kv
		s := scanner{data: body}
		_, _, n, _ := s.head()
		for range n {
			kat := s.off
			_, _, size, _ := s.head()
			k, _ := s.take(kat, size)
			vat := s.off
			_ = s.value(1)
			p = append(p, kv{string(k), body[vat:s.off]})
		}
		if val == nil {
			return build(drop(p, key))
		}
		for _, x := range p {
			if x.key == key {
				return build(set(p, key, val))
			}
		}
		return build(insert(p, key, val))
	}
	bad := func(mutate func(*Proof)) []byte {
		p := proofBody(t)
		mutate(p)
		return mustMarshal(t, p)
	}
	cases := []struct {
		name, kind string
		body       []byte
		want       error
		says       string
	}{
		{"unknown kind", "gossip", attest, ErrUnknownKind, `"gossip"`},
		{"attest missing note", KindAttest, withField(attest, "note", nil), ErrNonCanonical, "canonical form"},
		{"attest null note", KindAttest, withField(attest, "note", []byte{0xf6}), ErrNonCanonical, "canonical form"},
		{"attest unknown field", KindAttest, withField(attest, "extra", []byte{0x01}), ErrMalformed, "unknown field"},
		{"attest bad verdict", KindAttest, withField(attest, "verdict", text("maybe")), ErrBadBody, `verdict "maybe"`},
		{"attest no proof", KindAttest, withField(attest, "proof", nil), ErrBadBody, "names no proof"},
		{"attest long note", KindAttest, withField(attest, "note", text(strings.Repeat("x", 1025))), ErrBadBody, "limit 1024"},
		{"proof float claim", KindProof, withField(good, "claim", cat([]byte{0xa1}, text("v"), []byte{0xf9, 0x3c, 0})), ErrMalformed, "floats"},
		{"proof missing claim", KindProof, withField(good, "claim", nil), ErrBadBody, "no claim"},
		{"proof bad mip", KindProof, bad(func(p *Proof) { p.MIP = "HLT" }), ErrBadBody, "MIP-XXX@N"},
		{"proof short root", KindProof, bad(func(p *Proof) { p.Evidence.Root = p.Evidence.Root[:31] }), ErrBadBody, "31 bytes"},
		{"proof count", KindProof, bad(func(p *Proof) { p.Evidence.Count = MaxEvidence + 1 }), ErrBadBody, "over"},
		{"proof period", KindProof, bad(func(p *Proof) { p.Period.End = 1 }), ErrBadBody, "not an interval"},
		{"proof not a map", KindProof, []byte{0x80}, ErrMalformed, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := kinds.Decode(Entry{Kind: c.kind, Body: c.body})
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v, want %v saying %q", err, c.want, c.says)
			}
		})
	}
}

func TestKindsRegister(t *testing.T) {
	k := DefaultKinds()
	k.Register("note", func() Body { return new(Attest) })
	if got := strings.Join(k.Names(), ","); got != "attest,note,proof" {
		t.Fatalf("Names = %s", got)
	}
}

func TestParseMIPRef(t *testing.T) {
	for ref, ok := range map[string]bool{
		"MIP-HLT@1": true, "MIP-CAP@12": true, "MIP-HLT@0": false, "MIP-hlt@1": false,
		"MIP-HLT": false, "HLT@1": false, "MIP-H@1": false, "MIP-HLT@1x": false,
	} {
		if _, _, got := ParseMIPRef(ref); got != ok {
			t.Errorf("ParseMIPRef(%q) ok=%v", ref, got)
		}
	}
	if id, v, _ := ParseMIPRef("MIP-AGR@3"); id != "MIP-AGR" || v != 3 {
		t.Errorf("ParseMIPRef = %s %d", id, v)
	}
}
