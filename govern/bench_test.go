package govern

import (
	"sync"
	"testing"
	"time"

	"github.com/mesocosm/mycel/settle"
)

// benchWorld is one district of ten stewards with 300 proposals (MIP
// activations and limits), each voted on by eight stewards, seven of them yes.
var benchWorld = sync.OnceValue(func() []*settle.Record {
	tb := panicTB{}
	ss := make([]*author, 10)
	for i := range ss {
		ss[i] = newAuthor(tb, byte(200+i))
	}
	recs := []*settle.Record{ss[0].genesis(tb, meso, ss, nil, nil)}
	for j := range 300 {
		a := ss[j%10]
		p := &Proposal{Change: Limit, Unit: "credit", Amount: uint64(j)}
		if j%2 == 0 {
			p = mipChange(Activate, "MIP-AGR@"+string(rune('1'+j%9)))
		}
		prop := a.propose(tb, meso, p)
		recs = append(recs, prop)
		for i := range 8 {
			recs = append(recs, ss[(j+i)%10].vote(tb, prop, i != 7))
		}
	}
	return recs
})

// BenchmarkView: folding a governance set and reading the district's
// rules (subject), against inserting the same records into a settle.Set,
// the cost of holding them at all (reference), in the same iteration.
func BenchmarkView(b *testing.B) {
	recs := benchWorld()
	var subject, reference time.Duration
	for b.Loop() {
		t0 := time.Now()
		v := Compute(recs, nil, nil)
		if r, ok := v.Rules(meso); !ok || len(r.Proposals) != 300 || !r.Proposals[0].Ratified {
			b.Fatal("view")
		}
		t1 := time.Now()
		s := settle.NewSet()
		for _, r := range recs {
			s.Insert(r)
		}
		subject, reference = subject+t1.Sub(t0), reference+time.Since(t1)
	}
	b.ReportMetric(float64(subject.Nanoseconds())/float64(b.N*len(recs)), "ns/entry")
	b.ReportMetric(float64(reference.Nanoseconds())/float64(b.N*len(recs)), "set-ns/entry")
	b.ReportMetric(float64(subject)/float64(reference), "x-set")
}
