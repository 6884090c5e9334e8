package settle

import (
	"reflect"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

// A fraud entry that is itself the second entry at a held (author, seq)
// flags its accused as Compute does, whichever of the two arrives first:
// here its author has no receipt, the accused has one.
func TestForkedFraudEntryFlagsAccused(t *testing.T) {
	a, b, c, d := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4)
	x := a.at(t, 1, cid.Undef, protocol.KindReceipt, "", &Receipt{Payee: []byte(b.id), Amount: 5, Unit: "credit"})
	y := a.at(t, 1, cid.Undef, protocol.KindReceipt, "", &Receipt{Payee: []byte(c.id), Amount: 5, Unit: "credit"})
	role := d.at(t, 1, cid.Undef, KindRole, "zz", &Role{Subject: []byte(c.id), Role: RoleVerifier, Grant: true})
	fraud := d.at(t, 1, cid.Undef, protocol.KindFraud, "", NewFraud(x.Block, y.Block))
	for _, order := range [][]*Record{{x, role, fraud}, {x, fraud, role}, {role, fraud, x}, {fraud, role, x}} {
		inc := ledgerOf(order...)
		if !inc.Flagged(a.id) {
			t.Errorf("order %v: accused not flagged", kindsOf(order))
		}
		if vi, vf := viewOf(inc), viewOf(Compute(setOf(order...), nil)); !reflect.DeepEqual(vi, vf) {
			t.Errorf("order %v: views differ:\nincremental %+v\nfull        %+v", kindsOf(order), vi, vf)
		}
	}
}

func kindsOf(recs []*Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Entry.Kind)
	}
	return out
}
