package settle

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

const benchReceipts = 100_000

// benchWorld signs a district genesis and 100,000 receipts among eight
// authors, plus spare receipts for incremental updates. Blocks are signed
// once per process; the benchmarks time views over decoded records.
var benchWorld = sync.OnceValues(func() ([]*Record, []*Record) {
	tb := &testing.T{}
	rng := rand.New(rand.NewPCG(1, 2))
	as := make([]*author, 8)
	for i := range as {
		as[i] = newAuthor(tb, byte(100+i))
	}
	mint := func(a *author) *Record {
		to := as[rng.IntN(len(as))]
		body, _ := protocol.Marshal(&Receipt{Payee: []byte(to.id), Amount: uint64(1 + rng.IntN(100)), Unit: "credit"})
		b, err := protocol.Sign(a.priv, protocol.Entry{Seq: a.seq + 1, Prev: a.prev, Time: 1, Kind: protocol.KindReceipt, District: "meso", Body: body})
		if err != nil {
			panic(err)
		}
		a.seq, a.prev = a.seq+1, b.CID
		return Decode(kinds, b)
	}
	recs := []*Record{as[0].next(tb, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(as[0]), Limits: map[string]uint64{"credit": 500}})}
	for i := range benchReceipts {
		recs = append(recs, mint(as[i%len(as)]))
	}
	var spare []*Record
	for i := range 1000 {
		spare = append(spare, mint(as[i%len(as)]))
	}
	return recs, spare
})

// BenchmarkMergeBalances merges 100,000 receipts into an empty ledger and
// derives the balances, against inserting their CIDs into a Go map.
func BenchmarkMergeBalances(b *testing.B) {
	recs, _ := benchWorld()
	var subject, reference time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		m := map[cid.Cid]struct{}{}
		for _, r := range recs {
			m[r.CID] = struct{}{}
		}
		t1 := time.Now()
		l := NewLedger(nil)
		for _, r := range recs {
			l.Add(r)
		}
		if len(l.Balances()) == 0 || len(m) != len(recs) {
			b.Fatal("nothing derived")
		}
		subject += time.Since(t1)
		reference += t1.Sub(t0)
	}
	b.ReportMetric(float64(subject.Nanoseconds())/float64(b.N), "ledger-ns/op")
	b.ReportMetric(float64(reference.Nanoseconds())/float64(b.N), "map-ns/op")
	b.ReportMetric(float64(subject)/float64(reference), "ratio")
}

// BenchmarkIncremental adds one new receipt to a ledger of 100,000,
// against recomputing the ledger of the same set from scratch.
func BenchmarkIncremental(b *testing.B) {
	recs, spare := benchWorld()
	l := ledgerOf(recs...)
	var inc, full time.Duration
	i := 0
	b.ResetTimer()
	for b.Loop() {
		if i == len(spare) {
			b.Fatal("out of spare receipts")
		}
		t0 := time.Now()
		l.Add(spare[i])
		_ = l.Balance(spare[i].Author(), "credit")
		t1 := time.Now()
		f := Compute(l.Set(), nil)
		_ = f.Balance(spare[i].Author(), "credit")
		full += time.Since(t1)
		inc += t1.Sub(t0)
		i++
	}
	b.ReportMetric(float64(inc.Nanoseconds())/float64(b.N), "add-ns/op")
	b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "recompute-ns/op")
	b.ReportMetric(float64(full)/float64(inc), "speedup")
}
