package mip

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/protocol"
)

// key returns a fixed Ed25519 key derived from n.
func key(t testing.TB, n byte) crypto.PrivKey {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	seed[31] = n
	priv, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

// sign builds a signed seq-1 entry of kind with body, by key n.
func sign(t testing.TB, n byte, kind string, body any) protocol.Block {
	t.Helper()
	data, err := protocol.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	b, err := protocol.Sign(key(t, n), protocol.Entry{Seq: 1, Time: 1, Kind: kind, Body: data})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDocRoundTrip(t *testing.T) {
	kinds := protocol.DefaultKinds()
	Register(kinds)
	for _, m := range Builtins().List() {
		b := sign(t, 1, protocol.KindMIP, DocOf(m))
		opened, err := protocol.Open(b.Data)
		if err != nil {
			t.Fatalf("%s: %v", m.Ref(), err)
		}
		body, err := kinds.Decode(opened.Entry)
		if err != nil {
			t.Fatalf("%s: %v", m.Ref(), err)
		}
		got := body.(*Doc).MIP()
		if !same(got, m) || len(got.Examples) != len(m.Examples) {
			t.Errorf("%s did not survive the round trip", m.Ref())
		}
		r := New()
		if err := r.Load(opened); err != nil {
			t.Fatalf("%s: %v", m.Ref(), err)
		}
		for _, ex := range got.Examples { // examples come back in CBOR's types
			if err := r.CheckClaim(m.Ref(), ex); err != nil {
				t.Errorf("%s example after CBOR: %v", m.Ref(), err)
			}
		}
	}
}

func TestDocCheck(t *testing.T) {
	doc := func(mut func(*Doc)) *Doc { d := DocOf(widget(1)); mut(&d); return &d }
	tests := []struct {
		name string
		doc  *Doc
		msg  string
	}{
		{"ok", doc(func(*Doc) {}), ""},
		{"bad schema", doc(func(d *Doc) { d.Schema = `{"type": 5}` }), "bad claim schema"},
		{"bad example", doc(func(d *Doc) { d.Examples = []map[string]any{{"count": "three"}} }), `claim field "/count": must be integer, got string`},
		{"too many examples", doc(func(d *Doc) { d.Examples = make([]map[string]any, MaxExamples+1) }), "limit 16"},
		{"bad policy", doc(func(d *Doc) { d.Policy.Attestations = 65 }), "needs 1 to 64 attestations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.doc.Check()
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, protocol.ErrBadBody) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want ErrBadBody containing %q", err, tt.msg)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	w1 := sign(t, 1, protocol.KindMIP, DocOf(widget(1)))
	same2 := sign(t, 2, protocol.KindMIP, DocOf(widget(1))) // same definition, other author
	alt := widget(1)
	alt.Policy.Attestations = 1
	other := sign(t, 3, protocol.KindMIP, DocOf(alt))
	hlt, _ := Builtins().Lookup("MIP-HLT@1")
	hlt.Title = "Something else"
	redefine := sign(t, 4, protocol.KindMIP, DocOf(hlt))
	proof := sign(t, 5, protocol.KindProof, map[string]any{"mip": "MIP-WDG@1"})

	r := Builtins()
	if err := r.Load(w1); err != nil {
		t.Fatal(err)
	}
	if err := r.Load(same2); err != nil {
		t.Errorf("same definition from another author: %v", err)
	}
	if err := r.Load(other); !errors.Is(err, ErrConflict) {
		t.Errorf("conflicting definition: err = %v, want ErrConflict", err)
	}
	if err := r.Load(redefine); !errors.Is(err, ErrBuiltin) {
		t.Errorf("built-in redefinition: err = %v, want ErrBuiltin", err)
	}
	if m, _ := r.Lookup("MIP-HLT@1"); m.Title == "Something else" {
		t.Error("a mip entry replaced a built-in")
	}
	if err := r.Load(proof); !errors.Is(err, protocol.ErrBadBody) {
		t.Errorf("proof entry: err = %v, want ErrBadBody", err)
	}
}

// TestLoadOrderIndependent: whatever order conflicting definitions arrive
// in, every registry ends with the same one.
func TestLoadOrderIndependent(t *testing.T) {
	var blocks []protocol.Block
	for i := range 4 {
		m := widget(1)
		m.Policy.Attestations = i + 1
		blocks = append(blocks, sign(t, byte(i+1), protocol.KindMIP, DocOf(m)))
	}
	winner := blocks[0]
	for _, b := range blocks[1:] {
		if bytes.Compare(b.CID.Bytes(), winner.CID.Bytes()) < 0 {
			winner = b
		}
	}
	var want Doc
	if err := protocol.Unmarshal(winner.Entry.Body, &want); err != nil {
		t.Fatal(err)
	}
	orders := [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}, {1, 3, 0, 2}}
	for _, order := range orders {
		r := New()
		for _, i := range order {
			_ = r.Load(blocks[i]) // conflicts are expected
		}
		if got, _ := r.Lookup("MIP-WDG@1"); got.Policy != want.Policy {
			t.Errorf("order %v kept policy %v, want %v", order, got.Policy, want.Policy)
		}
	}
}

func TestLoadRejectsBadSchemaEntry(t *testing.T) {
	d := DocOf(widget(1))
	d.Schema = `{"type": "object", "properties": {"a": {"$ref": "https://example.com/s.json"}}}`
	d.Examples = nil
	b := sign(t, 1, protocol.KindMIP, d)
	r := New()
	if err := r.Load(b); !errors.Is(err, protocol.ErrBadBody) || !strings.Contains(err.Error(), "self-contained") {
		t.Fatalf("err = %v, want ErrBadBody about external refs", err)
	}
	if len(r.List()) != 0 {
		t.Error("a bad mip entry was loaded")
	}
}

func FuzzDocCheck(f *testing.F) {
	f.Add(widgetSchema, int64(3))
	f.Add(`{"type": "object", "properties": {"a": {"$ref": "#/$defs/x"}}, "$defs": {"x": {"pattern": "(a+)+$"}}}`, int64(-1))
	f.Fuzz(func(t *testing.T, schema string, n int64) {
		d := Doc{ID: "MIP-FZZ", Version: 1, Title: "fuzz", Schema: schema, Policy: Policy{Attestations: 1},
			Examples: []map[string]any{{"count": n}}}
		if d.Check() != nil {
			return
		}
		r := New()
		if err := r.Add(d.MIP()); err != nil {
			t.Fatalf("Check passed but Add failed: %v", err)
		}
	})
}

// TestLoadRejectsMissingField checks that Load accepts exactly what
// Checker accepts: a mip body that leaves out a key (here examples) is not
// canonical for either.
func TestLoadRejectsMissingField(t *testing.T) {
	m := Builtins().List()[0]
	body := map[string]any{
		"id": "MIP-ZZZ", "version": 1, "title": m.Title,
		"schema": string(compact(m.Schema)), "policy": map[string]any{"attestations": 2},
	}
	b := sign(t, 1, protocol.KindMIP, body)
	kinds := protocol.DefaultKinds()
	Register(kinds)
	if v := (Checker{Kinds: kinds, MIPs: Builtins()}).Check(b); v.Outcome != protocol.Reject {
		t.Fatalf("Check = %v, want reject", v.Outcome)
	}
	r := New()
	if err := r.Load(b); !errors.Is(err, protocol.ErrNonCanonical) {
		t.Fatalf("Load = %v, want ErrNonCanonical", err)
	}
	if _, ok := r.Lookup("MIP-ZZZ@1"); ok {
		t.Fatal("Load kept a non-canonical definition")
	}
}
