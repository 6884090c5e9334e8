// Package entrytest signs entries and draws schedules for the law tests
// of the pure views (grid, arena): authors with keys derived from a
// seed, universes signed once, and rapid draws of subsets, orders,
// duplicates and partitions of them.
package entrytest

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/protocol/prototest"
	"github.com/mesocosm/mycel/settle"
)

// PanicTB stands in for a test while universes are signed once.
type PanicTB struct{ testing.TB }

// Helper does nothing.
func (PanicTB) Helper() {}

// Fatal panics.
func (PanicTB) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

// Fatalf panics.
func (PanicTB) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }

// Author signs entries for tests, with a key derived from a seed.
type Author struct {
	Priv crypto.PrivKey
	ID   peer.ID
	Seq  uint64  // of its last entry
	Prev cid.Cid // of its last entry
}

// NewAuthor returns the author of seed.
func NewAuthor(tb testing.TB, seed byte) *Author {
	priv, _, err := crypto.GenerateEd25519Key(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)))
	if err != nil {
		tb.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(priv)
	return &Author{Priv: priv, ID: id}
}

// Next signs the author's next entry of kind in district at time and
// decodes it under k; it fails the test if the body does not decode back
// as a checked body of its kind.
func (a *Author) Next(tb testing.TB, k protocol.Kinds, kind, district string, time int64, body protocol.Body) *settle.Record {
	tb.Helper()
	data, err := protocol.EncodeBody(body)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := protocol.Sign(a.Priv, protocol.Entry{
		Seq: a.Seq + 1, Prev: a.Prev, Time: time, Kind: kind, District: district, Body: data,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if b, err = protocol.Open(b.Data); err != nil {
		tb.Fatal(err)
	}
	r := settle.Decode(k, b)
	if r.Body == nil {
		tb.Fatalf("%s body does not decode", kind)
	}
	a.Seq, a.Prev = r.ID.Seq, r.CID
	return r
}

// Resign returns another block of r's entry (same ID, another CID).
func (a *Author) Resign(tb testing.TB, k protocol.Kinds, r *settle.Record, rnd io.Reader) *settle.Record {
	tb.Helper()
	b, err := prototest.Resign(a.Priv, r.Block, rnd)
	if err != nil {
		tb.Fatal(err)
	}
	return settle.Decode(k, b)
}

// Draw picks one of universes and a subset of its records (recs gives
// them) in a random order, each record 0 to 3 times.
func Draw[W any](t *rapid.T, universes []W, recs func(W) []*settle.Record) (W, []*settle.Record) {
	w := rapid.SampledFrom(universes).Draw(t, "universe")
	all := recs(w)
	keep := rapid.SliceOfN(rapid.IntRange(0, 3), len(all), len(all)).Draw(t, "keep")
	var sub []*settle.Record
	for i, r := range all {
		for range keep[i] {
			sub = append(sub, r)
		}
	}
	return w, rapid.Permutation(sub).Draw(t, "order")
}

// Partitioned folds recs into 1 to 4 views made by newView, each record
// into one of them, and merges them in a random order.
func Partitioned[V interface {
	Add(*settle.Record) bool
	Merge(V)
}](t *rapid.T, recs []*settle.Record, newView func() V) V {
	k := rapid.IntRange(1, 4).Draw(t, "replicas")
	parts := make([]V, k)
	for i := range parts {
		parts[i] = newView()
	}
	where := rapid.SliceOfN(rapid.IntRange(0, k-1), len(recs), len(recs)).Draw(t, "parts")
	for i, r := range recs {
		parts[where[i]].Add(r)
	}
	order := rapid.Permutation(parts).Draw(t, "merge order")
	for _, p := range order[1:] {
		order[0].Merge(p)
	}
	return order[0]
}

// Universes returns a function that signs n universes, of seeds 0..n-1,
// on its first call and returns the same ones on every call: signing is
// the slow part, rapid draws from them.
func Universes[W any](n int, universe func(seed int) W) func() []W {
	return sync.OnceValue(func() []W {
		out := make([]W, n)
		for seed := range out {
			out[seed] = universe(seed)
		}
		return out
	})
}
