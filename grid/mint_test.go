package grid

import (
	"bytes"
	"io"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/protocol/prototest"
	"github.com/mesocosm/mycel/settle"
)

var kinds = func() protocol.Kinds {
	k := protocol.DefaultKinds()
	settle.Register(k)
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

// next signs the author's next entry; it fails the test if the body
// does not decode back as a checked body of its kind.
func (a *author) next(tb testing.TB, kind string, body protocol.Body) *settle.Record {
	tb.Helper()
	data, err := protocol.EncodeBody(body)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := protocol.Sign(a.priv, protocol.Entry{
		Seq: a.seq + 1, Prev: a.prev, Time: int64(1000 + a.seq), Kind: kind, Body: data,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if b, err = protocol.Open(b.Data); err != nil {
		tb.Fatal(err)
	}
	r := settle.Decode(kinds, b)
	if r.Body == nil {
		tb.Fatalf("%s body does not decode", kind)
	}
	a.seq, a.prev = r.ID.Seq, r.CID
	return r
}

// resign returns another block of r's entry (same ID, another CID).
func (a *author) resign(tb testing.TB, r *settle.Record, rnd io.Reader) *settle.Record {
	tb.Helper()
	b, err := prototest.Resign(a.priv, r.Block, rnd)
	if err != nil {
		tb.Fatal(err)
	}
	return settle.Decode(kinds, b)
}

func (a *author) offer(tb testing.TB, price uint64, unit string) *settle.Record {
	return a.next(tb, KindOffer, &Offer{Runtime: Runtime, MemoryMiB: 256, MaxSeconds: 30, Price: price, Unit: unit})
}

func (a *author) job(tb testing.TB, k uint8, maxPrice uint64, input string) *settle.Record {
	return a.next(tb, KindJob, &Job{
		Module: protocol.LinkTo(BytesCID([]byte("module"))), Input: protocol.LinkTo(BytesCID([]byte(input))),
		MemoryMiB: 64, MaxSeconds: 10, Replicas: k, MaxPrice: maxPrice, Unit: "credit", District: "meso",
	})
}

func (a *author) result(tb testing.TB, job *settle.Record, output string) *settle.Record {
	return a.next(tb, KindResult, &Result{
		Job: protocol.LinkTo(job.CID), Output: protocol.LinkTo(BytesCID([]byte(output))),
		OutputSize: uint64(len(output)), DurationMS: 12,
	})
}

func (a *author) fail(tb testing.TB, job *settle.Record, why string) *settle.Record {
	return a.next(tb, KindResult, &Result{
		Job: protocol.LinkTo(job.CID), Output: protocol.LinkTo(BytesCID(nil)), Exit: 1, Error: why,
	})
}

func (a *author) pay(tb testing.TB, p Payment) *settle.Record {
	return a.next(tb, protocol.KindReceipt, p.Receipt())
}

func viewOf(recs ...*settle.Record) *View {
	v := NewView()
	for _, r := range recs {
		v.Add(r)
	}
	return v
}
