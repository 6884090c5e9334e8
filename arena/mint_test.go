package arena

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

// next signs the author's next entry in district at time; it fails the
// test if the body does not decode back as a checked body of its kind.
func (a *author) next(tb testing.TB, kind, district string, time int64, body protocol.Body) *settle.Record {
	tb.Helper()
	data, err := protocol.EncodeBody(body)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := protocol.Sign(a.priv, protocol.Entry{
		Seq: a.seq + 1, Prev: a.prev, Time: time, Kind: kind, District: district, Body: data,
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

func (a *author) problem(tb testing.TB, district string, bounty uint64, deadline int64) *settle.Record {
	p := &Problem{Domain: "MIP-AGR@1", Title: "soil carbon of plot 7", Criteria: "a verified proof", Deadline: deadline}
	if bounty > 0 {
		p.Bounty, p.Unit = bounty, "credit"
	}
	return a.next(tb, KindProblem, district, 1000, p)
}

func (a *author) solve(tb testing.TB, problem *settle.Record, summary string) *settle.Record {
	return a.next(tb, KindSolution, problem.Entry.District, 1100, &Solution{Problem: protocol.LinkTo(problem.CID), Summary: summary})
}

func (a *author) accept(tb testing.TB, problem *settle.Record, time int64, shares ...Share) *settle.Record {
	return a.next(tb, KindAccept, problem.Entry.District, time, &Accept{Problem: protocol.LinkTo(problem.CID), Shares: shares})
}

func (a *author) pay(tb testing.TB, p Payment) *settle.Record {
	return a.next(tb, protocol.KindReceipt, p.District, 5000, p.Receipt())
}

func share(sol *settle.Record, n uint64) Share {
	return Share{Solution: protocol.LinkTo(sol.CID), Share: n}
}

func viewOf(recs ...*settle.Record) *View {
	v := NewView()
	for _, r := range recs {
		v.Add(r)
	}
	return v
}

// stewards makes steward sets by district.
func stewards(m map[string][]peer.ID) func(string) map[peer.ID]bool {
	return func(d string) map[peer.ID]bool {
		out := map[peer.ID]bool{}
		for _, p := range m[d] {
			out[p] = true
		}
		return out
	}
}
