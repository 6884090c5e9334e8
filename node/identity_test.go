package node

import (
	"bytes"
	"crypto/rand"
	"reflect"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
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

// TestLinkToAnotherBlock: a proof signed twice, and attestations that link
// to its second block. A replica that received the first block before the
// second keeps the second as a name of the entry, so the attestations
// count there as on a replica that received the second first; the views
// a restart reads from the vault and those a running node built agree.
func TestLinkToAnotherBlock(t *testing.T) {
	clinic, v1, v2 := newVault(t), newVault(t), newVault(t)
	gen := appendTo(t, newVault(t), settle.KindDistrict, genesis([]peer.ID{clinic.ID()}, v1.ID(), v2.ID()))
	p := appendTo(t, clinic, protocol.KindProof, hltProof(t, 1))
	p2, err := prototest.Resign(clinic.Key(), p, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	atts := []protocol.Block{appendTo(t, v1, protocol.KindAttest, valid(p2.CID)), appendTo(t, v2, protocol.KindAttest, valid(p2.CID))}
	mn := newMocknet(t)
	for _, order := range [][]protocol.Block{{gen, p, atts[0], atts[1], p2}, {gen, p2, atts[0], atts[1], p}} {
		v := newVault(t)
		n := mockNode(t, mn, v)
		for _, b := range order {
			if _, err := n.Ingest(b); err != nil {
				t.Fatal(err)
			}
		}
		read, err := ReadViews(v, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for name, w := range map[string]*Views{"running": n.Views(), "read": read} {
			st, ok := w.Status(p.CID)
			if !ok || !st.Verified || st.Valid != 2 {
				t.Errorf("first block %s first: %s views: proof %+v, want verified by the attestations naming its other block", order[1].CID, name, st)
			}
		}
		if read.Digest() != n.Views().Digest() {
			t.Error("the views read from the vault differ from the running node's")
		}
	}
}

// TestLinkFetched: a replica holds a proof by its first block; a peer
// holds it by its second, with the attestations that link to the second.
// Sync carries the attestations but not the second block (the payload
// digests match), so the replica asks for the linked block by CID after
// the round and then counts the attestations as the peer does.
func TestLinkFetched(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	clinic, v1, v2 := newVault(t), newVault(t), newVault(t)
	gen := appendTo(t, newVault(t), settle.KindDistrict, genesis([]peer.ID{clinic.ID()}, v1.ID(), v2.ID()))
	p := appendTo(t, clinic, protocol.KindProof, hltProof(t, 1))
	p2, err := prototest.Resign(clinic.Key(), p, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	mn := newMocknet(t)
	w, y := mockNode(t, mn, newVault(t)), mockNode(t, mn, newVault(t))
	if _, err := w.Ingest(gen, p); err != nil {
		t.Fatal(err)
	}
	if _, err := y.Ingest(gen, p2, appendTo(t, v1, protocol.KindAttest, valid(p2.CID)), appendTo(t, v2, protocol.KindAttest, valid(p2.CID))); err != nil {
		t.Fatal(err)
	}
	meshUp(t, ctx, mn, w, y)
	verified := func(c cid.Cid) func(v *Views) bool {
		return func(v *Views) bool { st, ok := v.Status(c); return ok && st.Verified }
	}
	until(t, ctx, y, "the peer verifies", verified(p2.CID))
	until(t, ctx, w, "the replica verifies", verified(p.CID))
	if w.Views().Digest() != y.Views().Digest() {
		t.Fatal("digests differ")
	}
	if got, err := w.store.Get(p2.CID); err != nil || !got.CID.Equals(p2.CID) {
		t.Fatalf("the linked block is not held: %v", err)
	}
}
