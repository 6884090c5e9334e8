package grid

import (
	"io"
	"testing"

	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

var kinds = func() protocol.Kinds {
	k := protocol.DefaultKinds()
	settle.Register(k)
	Register(k)
	return k
}()

// author signs entries for tests.
type author struct{ entrytest.Author }

func newAuthor(tb testing.TB, seed byte) *author {
	return &author{*entrytest.NewAuthor(tb, seed)}
}

// next signs the author's next entry.
func (a *author) next(tb testing.TB, kind string, body protocol.Body) *settle.Record {
	tb.Helper()
	return a.Next(tb, kinds, kind, "", int64(1000+a.Seq), body)
}

// resign returns another block of r's entry (same ID, another CID).
func (a *author) resign(tb testing.TB, r *settle.Record, rnd io.Reader) *settle.Record {
	return a.Resign(tb, kinds, r, rnd)
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
