package settle

import (
	"errors"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

func TestBodiesCheck(t *testing.T) {
	a, b := newAuthor(t, 1), newAuthor(t, 2)
	good := &Receipt{Payee: []byte(b.id), Amount: 5, Unit: "USD-cents"}
	pl := func(f func(*Pledge)) *Pledge {
		p := &Pledge{MIP: "MIP-HLT@1", District: "meso", Amount: 10, Unit: "credit", Cap: 100}
		f(p)
		return p
	}
	tests := []struct {
		name string
		body protocol.Body
		ok   bool
	}{
		{"receipt", good, true},
		{"receipt zero amount", &Receipt{Payee: []byte(b.id), Unit: "kWh"}, false},
		{"receipt huge amount", &Receipt{Payee: []byte(b.id), Amount: MaxAmount + 1, Unit: "kWh"}, false},
		{"receipt bad unit", &Receipt{Payee: []byte(b.id), Amount: 1, Unit: "9x"}, false},
		{"receipt bad payee", &Receipt{Payee: []byte("nobody"), Amount: 1, Unit: "kWh"}, false},
		{"pledge", pl(func(*Pledge) {}), true},
		{"pledge where", pl(func(p *Pledge) { p.Where = []Cond{{"age", ">=", uint64(18)}, {"site", "=", "north"}} }), true},
		{"pledge cap below amount", pl(func(p *Pledge) { p.Cap = 5 }), false},
		{"pledge bad mip", pl(func(p *Pledge) { p.MIP = "HLT" }), false},
		{"pledge string order", pl(func(p *Pledge) { p.Where = []Cond{{"site", ">", "a"}} }), false},
		{"pledge bad op", pl(func(p *Pledge) { p.Where = []Cond{{"age", "~", uint64(1)}} }), false},
		{"pledge bad field", pl(func(p *Pledge) { p.Where = []Cond{{"a..b", "=", uint64(1)}} }), false},
		{"pledge negative expiry", pl(func(p *Pledge) { p.Expires = -1 }), false},
		{"district", &District{Name: "meso", Stewards: ids(a), Limits: map[string]uint64{"credit": 50}}, true},
		{"district no stewards", &District{Name: "meso"}, false},
		{"district bad limit unit", &District{Name: "meso", Stewards: ids(a), Limits: map[string]uint64{"": 1}}, false},
		{"role", &Role{Subject: []byte(b.id), Role: RoleVerifier, Grant: true}, true},
		{"role unknown", &Role{Subject: []byte(b.id), Role: "king"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.body.Check()
			if tt.ok != (err == nil) || (err != nil && !errors.Is(err, protocol.ErrBadBody)) {
				t.Fatalf("Check() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestBodiesDecodeThroughKinds(t *testing.T) {
	a, b := newAuthor(t, 1), newAuthor(t, 2)
	p := &Pledge{MIP: "MIP-HLT@1", District: "meso", Amount: 10, Unit: "credit", Cap: 100,
		Where: []Cond{{"age", ">=", int64(-3)}, {"site", "=", "north"}}}
	r := a.next(t, protocol.KindPledge, "meso", p)
	got, ok := r.Body.(*Pledge)
	if !ok {
		t.Fatalf("pledge did not decode: %T", r.Body)
	}
	claim := map[string]any{"age": uint64(20), "site": "north"}
	if !got.Matches(claim) || got.Matches(map[string]any{"age": uint64(20)}) {
		t.Fatal("conditions do not match as written")
	}
	bad := a.next(t, protocol.KindReceipt, "", map[string]any{"payee": []byte(b.id), "amount": uint64(0), "unit": "x", "for": []any{}, "memo": ""})
	if bad.Body != nil {
		t.Fatal("a receipt of amount 0 decoded")
	}
}

func TestCondHolds(t *testing.T) {
	claim := map[string]any{"age": uint64(40), "bp": map[string]any{"sys": int64(-1)}, "site": "north"}
	tests := []struct {
		c    Cond
		want bool
	}{
		{Cond{"age", ">", uint64(18)}, true},
		{Cond{"age", "<", uint64(18)}, false},
		{Cond{"age", "=", int64(40)}, true},
		{Cond{"bp.sys", "<=", int64(-1)}, true},
		{Cond{"bp.dia", "=", int64(1)}, false},
		{Cond{"site", "!=", "south"}, true},
		{Cond{"site", "=", uint64(1)}, false},
		{Cond{"age", "=", "40"}, false},
	}
	for _, tt := range tests {
		if got := tt.c.Holds(claim); got != tt.want {
			t.Errorf("%v.Holds = %v, want %v", tt.c, got, tt.want)
		}
	}
}
