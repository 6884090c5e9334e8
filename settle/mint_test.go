package settle

import (
	"bytes"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

var kinds = func() protocol.Kinds {
	k := protocol.DefaultKinds()
	Register(k)
	return k
}()

// author signs entries for tests, with a key derived from a seed.
type author struct {
	priv crypto.PrivKey
	id   peer.ID
	seq  uint64
	prev cid.Cid
}

func newAuthor(tb testing.TB, seed byte) *author {
	priv, _, err := crypto.GenerateEd25519Key(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)))
	if err != nil {
		tb.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(priv)
	return &author{priv: priv, id: id}
}

// next signs the author's next entry.
func (a *author) next(tb testing.TB, kind, district string, body any) *Record {
	r := a.at(tb, a.seq+1, a.prev, kind, district, body)
	a.seq, a.prev = r.ID.Seq, r.CID
	return r
}

// at signs an entry at an explicit place in the log, as a forker does.
func (a *author) at(tb testing.TB, seq uint64, prev cid.Cid, kind, district string, body any) *Record {
	tb.Helper()
	data, err := protocol.Marshal(body)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := protocol.Sign(a.priv, protocol.Entry{
		Seq: seq, Prev: prev, Time: int64(1000 + seq), Kind: kind, District: district, Body: data,
	})
	if err != nil {
		tb.Fatal(err)
	}
	b, err = protocol.Open(b.Data)
	if err != nil {
		tb.Fatal(err)
	}
	return Decode(kinds, b)
}

func (a *author) pay(tb testing.TB, district string, to *author, amount uint64, unit string) *Record {
	return a.next(tb, protocol.KindReceipt, district, &Receipt{Payee: []byte(to.id), Amount: amount, Unit: unit})
}

func setOf(recs ...*Record) *Set {
	s := NewSet()
	for _, r := range recs {
		s.Insert(r)
	}
	return s
}

func ledgerOf(recs ...*Record) *Ledger {
	l := NewLedger(nil)
	for _, r := range recs {
		l.Add(r)
	}
	return l
}

func ids(as ...*author) [][]byte {
	var out [][]byte
	for _, a := range as {
		out = append(out, []byte(a.id))
	}
	return out
}
