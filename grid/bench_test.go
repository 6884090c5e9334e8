package grid

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mesocosm/mycel/settle"
)

// benchWorld is 1,000 jobs of k = 3, each answered by three of five
// providers, one of the three lying on every fourth job.
var benchWorld = sync.OnceValues(func() ([]*settle.Record, *author) {
	tb := panicTB{}
	req := newAuthor(tb, 200)
	var recs []*settle.Record
	ps := make([]*author, 5)
	for i := range ps {
		ps[i] = newAuthor(tb, byte(201+i))
		recs = append(recs, ps[i].offer(tb, 2, "credit"))
	}
	for j := range 1000 {
		job := req.job(tb, 3, 5, fmt.Sprint(j))
		recs = append(recs, job)
		for i := range 3 {
			out := "out"
			if i == 2 && j%4 == 0 {
				out = "lie"
			}
			recs = append(recs, ps[(j+i)%5].result(tb, job, out))
		}
	}
	return recs, req
})

// BenchmarkView: folding a grid set and reading every job's status,
// every provider's reputation and what is due (subject), against
// inserting the same records into a settle.Set, the cost of holding
// them at all (reference), in the same iteration.
func BenchmarkView(b *testing.B) {
	recs, req := benchWorld()
	var subject, reference time.Duration
	for b.Loop() {
		t0 := time.Now()
		v := NewView()
		for _, r := range recs {
			v.Add(r)
		}
		if len(v.Jobs()) != 1000 || len(v.Reputations()) != 5 || len(Due(v, req.ID)) != 2750 {
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
