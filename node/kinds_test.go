package node

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// lease is a kind this release does not know, as a newer peer would.
type lease struct {
	Price uint64 `cbor:"price"`
}

func (*lease) Check() error { return nil }

// TestUnknownKindHoldsItsPlace: an author's log is receipt, an entry of a
// kind the older peer does not know, receipt. A peer that knows the kind
// and one that does not store the same entries (each through its own
// kernel check) and compute the same balances and digest: the unknown
// entry is stored, holds its place, and no view reads it.
func TestUnknownKindHoldsItsPlace(t *testing.T) {
	priv, _, _ := crypto.GenerateEd25519Key(bytes.NewReader(bytes.Repeat([]byte{3}, 32)))
	payee, _, _ := crypto.GenerateEd25519Key(bytes.NewReader(bytes.Repeat([]byte{4}, 32)))
	to, _ := peer.IDFromPrivateKey(payee)
	var blocks []protocol.Block
	var prev protocol.Block
	for i, kind := range []string{protocol.KindReceipt, "lease", protocol.KindReceipt} {
		var body any = &settle.Receipt{Payee: []byte(to), Amount: uint64(10 * (i + 1)), Unit: "credit"}
		if kind == "lease" {
			body = &lease{Price: 7}
		}
		data, err := protocol.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		e := protocol.Entry{Seq: uint64(i + 1), Time: 1000, Kind: kind, District: district, Body: data}
		if i > 0 {
			e.Prev = prev.CID
		}
		if prev, err = protocol.Sign(priv, e); err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, prev)
	}
	older := checkWith(mip.Builtins())
	newer := func() func(protocol.Block) protocol.Verdict {
		k := settleKinds()
		k.Register("lease", func() protocol.Body { return new(lease) })
		return mip.Checker{Kinds: k, MIPs: mip.Builtins(), Now: time.Now}.Check
	}()
	var views []*Views
	for _, check := range []func(protocol.Block) protocol.Verdict{older, newer} {
		v := newVault(t)
		for _, b := range blocks {
			if check(b).Outcome != protocol.Accept {
				continue
			}
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
	old, nw := views[0], views[1]
	if old.Digest() != nw.Digest() || !reflect.DeepEqual(old.Balances(), nw.Balances()) {
		t.Fatalf("older peer: %v entries %+v; newer: %v entries %+v", old.Entries(), old.Balances(), nw.Entries(), nw.Balances())
	}
	if len(nw.Lines()) != 2 || old.Entries() != 3 {
		t.Fatalf("want both receipts counted and 3 entries held, got %d lines, %d entries", len(nw.Lines()), old.Entries())
	}
}
