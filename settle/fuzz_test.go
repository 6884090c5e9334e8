package settle

import (
	"bytes"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

// settleKinds are the kinds this package registers, in a fixed order so a
// fuzz input picks one by index.
var settleKinds = []string{protocol.KindReceipt, protocol.KindPledge, KindDistrict, KindRole, protocol.KindFraud}

// FuzzBodies: whatever bytes arrive as a settlement body, decoding never
// panics, and a body that decodes and checks is canonical: it re-encodes to
// the same bytes. A decoded fraud body never convicts without a real pair.
func FuzzBodies(f *testing.F) {
	a, b := newAuthor(f, 1), newAuthor(f, 2)
	seeds := []any{
		&Receipt{Payee: []byte(b.id), Amount: 5, Unit: "credit", For: []protocol.Link{}, Memo: "m"},
		&Pledge{MIP: "MIP-HLT@1", District: "meso", Amount: 10, Unit: "credit", Cap: 100,
			Where: []Cond{{"age", ">=", int64(-3)}, {"site", "=", "north"}}},
		&District{Name: "meso", Stewards: [][]byte{[]byte(a.id)}, Verifiers: [][]byte{[]byte(b.id)}, Limits: map[string]uint64{"credit": 9}},
		&Role{Subject: []byte(b.id), Role: RoleVerifier, Grant: true},
	}
	first := a.pay(f, "meso", b, 1, "credit")
	second := a.at(f, 1, first.Block.Entry.Prev, protocol.KindReceipt, "meso", &Receipt{Payee: []byte(b.id), Amount: 2, Unit: "credit", For: []protocol.Link{}})
	seeds = append(seeds, NewFraud(first.Block, second.Block))
	for i, s := range seeds {
		data, err := protocol.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), data)
		f.Add(uint8(i), data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		kind := settleKinds[int(which)%len(settleKinds)]
		body, err := kinds.Decode(protocol.Entry{Kind: kind, Body: data})
		if err != nil {
			return
		}
		again, err := protocol.Marshal(body)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("%s body decodes but re-encodes differently: %v", kind, err)
		}
		if fr, ok := body.(*Fraud); ok {
			if _, err := VerifyFraud(fr); err == nil && bytes.Equal(fr.First, fr.Second) {
				t.Fatal("a fraud proof of one entry twice convicted its author")
			}
		}
	})
}
