package settle

import (
	"errors"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

func TestVerifyFraud(t *testing.T) {
	a, b, c := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	x := a.at(t, 1, cid.Undef, protocol.KindReceipt, "", &Receipt{Payee: []byte(b.id), Amount: 5, Unit: "credit"})
	y := a.at(t, 1, cid.Undef, protocol.KindReceipt, "", &Receipt{Payee: []byte(c.id), Amount: 5, Unit: "credit"})
	z := a.at(t, 2, x.CID, protocol.KindReceipt, "", &Receipt{Payee: []byte(c.id), Amount: 5, Unit: "credit"})
	other := b.at(t, 1, cid.Undef, protocol.KindReceipt, "", &Receipt{Payee: []byte(c.id), Amount: 5, Unit: "credit"})

	got, err := VerifyFraud(NewFraud(y.Block, x.Block))
	if err != nil || got != a.id {
		t.Fatalf("VerifyFraud(fork) = %v, %v; want %s", got, err, a.id)
	}
	for name, f := range map[string]*Fraud{
		"same entry":    {First: x.Data, Second: x.Data},
		"different seq": {First: x.Data, Second: z.Data},
		"two authors":   {First: x.Data, Second: other.Data},
	} {
		if _, err := VerifyFraud(f); !errors.Is(err, ErrNotFraud) {
			t.Errorf("%s: err = %v, want ErrNotFraud", name, err)
		}
	}
	tampered := append([]byte{}, y.Data...)
	tampered[len(tampered)-70] ^= 1 // inside the signature
	if _, err := VerifyFraud(&Fraud{First: x.Data, Second: tampered}); err == nil || errors.Is(err, ErrNotFraud) {
		t.Errorf("tampered: err = %v, want an open error", err)
	}
}

func TestFraudEntryFlagsAuthor(t *testing.T) {
	a, b, c := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	x := a.at(t, 1, cid.Undef, protocol.KindReceipt, "", &Receipt{Payee: []byte(b.id), Amount: 5, Unit: "credit"})
	y := a.at(t, 1, cid.Undef, protocol.KindReceipt, "", &Receipt{Payee: []byte(c.id), Amount: 5, Unit: "credit"})
	fr := c.next(t, protocol.KindFraud, "", NewFraud(x.Block, y.Block))
	if _, ok := fr.Body.(*Fraud); !ok {
		t.Fatalf("fraud entry did not decode: %T", fr.Body)
	}
	// Only one side of the fork is held; the fraud entry alone flags a.
	l := ledgerOf(x, fr)
	if !l.Flagged(a.id) || l.Balance(b.id, "credit") != 0 {
		t.Fatalf("flags %v, balance %d: want a flagged and its receipt not counted", l.Flags(), l.Balance(b.id, "credit"))
	}
	// Holding both sides finds the fork without a fraud entry.
	s := setOf(x, y)
	if f := s.Forks(); len(f) != 1 || f[0][0].ID.Author != a.id {
		t.Fatalf("Forks() = %v", f)
	}
}
