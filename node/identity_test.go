package node

import (
	"bytes"
	"crypto/rand"
	"reflect"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/protocol/prototest"
	"github.com/mesocosm/mycel/settle"
)

// TestViewsOfIdentities: one payload signed twice (a hedged signer). Two
// vaults each hold one block of the district's genesis and of a covered
// receipt, and the vault keeps whichever came first: the views read from
// them give the same balances, coverage and ledger digest.
func TestViewsOfIdentities(t *testing.T) {
	key := func(seed byte) (crypto.PrivKey, peer.ID) {
		priv, _, _ := crypto.GenerateEd25519Key(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)))
		id, _ := peer.IDFromPrivateKey(priv)
		return priv, id
	}
	steward, sid := key(5)
	payer, _ := key(6)
	_, payee := key(7)
	sign := func(priv crypto.PrivKey, kind string, body any) protocol.Block {
		data, err := protocol.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		b, err := protocol.Sign(priv, protocol.Entry{Seq: 1, Time: 1000, Kind: kind, District: district, Body: data})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	gen := sign(steward, settle.KindDistrict, &settle.District{Name: district, Stewards: [][]byte{[]byte(sid)}, Limits: map[string]uint64{"credit": 50}})
	pay := sign(payer, protocol.KindReceipt, &settle.Receipt{Payee: []byte(payee), Amount: 20, Unit: "credit"})
	resign := func(priv crypto.PrivKey, b protocol.Block) protocol.Block {
		o, err := prototest.Resign(priv, b, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	gen2, pay2 := resign(steward, gen), resign(payer, pay)
	var views []*Views
	for _, order := range [][]protocol.Block{{gen, pay, gen2, pay2}, {pay2, gen2, pay, gen}} {
		v := newVault(t)
		for _, b := range order {
			if _, err := v.Put(b); err != nil {
				t.Fatal(err)
			}
		}
		w, err := ReadViews(v, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		views = append(views, w)
	}
	a, b := views[0], views[1]
	if a.Digest() != b.Digest() || !reflect.DeepEqual(a.Balances(), b.Balances()) {
		t.Fatal("replicas holding the same entries by other blocks compute other ledgers")
	}
	if len(a.Lines()) != 1 || !a.Lines()[0].Covered || a.Lines()[0].ID != b.Lines()[0].ID {
		t.Fatalf("lines %+v / %+v", a.Lines(), b.Lines())
	}
}
