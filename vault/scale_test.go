package vault_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// TestBatchCostIndependentOfSize puts 1,000-entry batches (10 entries
// each of 100 authors, out of 1,000 authors) into a vault of 10k entries
// and, in the same run, of ten times as many; the median batch must cost
// about the same (within 2x), and so must a page of a listing. The short form grows to 50k entries; with
// MYCEL_HOSTILE_LONG=1 it grows to 100k.
func TestBatchCostIndependentOfSize(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a vault")
	}
	small, large := 10_000, 50_000
	if os.Getenv("MYCEL_HOSTILE_LONG") != "" {
		large = 100_000
	}
	sv, sf := filled(t, small)
	lv, lf := filled(t, large)
	// Alternate the measured batches so that both sizes see the same load.
	var ds, dl []time.Duration
	for range 7 {
		ds = append(ds, sf.put(t, sv, sf.batch(t)))
		dl = append(dl, lf.put(t, lv, lf.batch(t)))
	}
	s, l := median(ds), median(dl)
	ratio := float64(l) / float64(s)
	t.Logf("1000-entry batch: %v at %d entries, %v at %d entries (x%.2f)", s, small, l, large, ratio)
	if ratio > 2 {
		t.Errorf("a batch costs x%.2f more at %d entries than at %d", ratio, large, small)
	}
	// The first page of a listing, and a page far into it, cost the same
	// at both sizes; the whole query grows with the vault.
	q := vault.Query{MIP: "MIP-HLT@1"}
	for _, deep := range []bool{false, true} {
		sp, lp := pageCost(t, sv, q, deep), pageCost(t, lv, q, deep)
		sq, lq := queryCost(t, sv, q), queryCost(t, lv, q)
		t.Logf("page of 100 (deep %v): %v at %d, %v at %d (x%.2f); whole query %v and %v",
			deep, sp, small, lp, large, float64(lp)/float64(sp), sq, lq)
		if lp > 2*sp && lp-sp > 2*time.Millisecond {
			t.Errorf("a page costs %v at %d entries, %v at %d: more than 2x", lp, large, sp, small)
		}
	}
}

// pageCost is the median cost of a page of 100 of q: the first, or deep,
// the 21st.
func pageCost(t *testing.T, v *vault.Bolt, q vault.Query, deep bool) time.Duration {
	after := ""
	if deep {
		for range 20 {
			p, err := v.QueryPage(q, after, 100)
			if err != nil || p.Next == "" {
				t.Fatalf("page: %v", err)
			}
			after = p.Next
		}
	}
	var ds []time.Duration
	for range 9 {
		start := time.Now()
		p, err := v.QueryPage(q, after, 100)
		ds = append(ds, time.Since(start))
		if err != nil || len(p.Blocks) != 100 {
			t.Fatalf("page: %d blocks, %v", len(p.Blocks), err)
		}
	}
	return median(ds)
}

func queryCost(t *testing.T, v *vault.Bolt, q vault.Query) time.Duration {
	start := time.Now()
	if _, err := v.Query(q); err != nil {
		t.Fatal(err)
	}
	return time.Since(start)
}

// filled returns a vault holding n entries of 1,000 authors.
func filled(t *testing.T, n int) (*vault.Bolt, *filler) {
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	f := newFiller(t, 1000)
	for f.held < n {
		f.put(t, v, f.batch(t))
	}
	return v, f
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// filler signs entries for many authors, round-robin in groups.
type filler struct {
	authors []*vaulttest.Author
	next    int // first author of the next group
	held    int // entries put
}

func newFiller(t *testing.T, n int) *filler {
	f := &filler{}
	for range n {
		f.authors = append(f.authors, vaulttest.NewAuthor(t))
	}
	return f
}

// batch signs 10 entries each for the next 100 authors.
func (f *filler) batch(t *testing.T) []protocol.Block {
	var out []protocol.Block
	for i := range 100 {
		a := f.authors[(f.next+i)%len(f.authors)]
		for range 10 {
			out = append(out, a.Next(t, "proof", "meso/north", vaulttest.ProofBody(t, "MIP-HLT@1")))
		}
	}
	f.next = (f.next + 100) % len(f.authors)
	return out
}

func (f *filler) put(t *testing.T, v *vault.Bolt, b []protocol.Block) time.Duration {
	start := time.Now()
	res, err := v.Put(b...)
	d := time.Since(start)
	if err != nil || res[len(res)-1].Status != vault.New {
		t.Fatalf("put: %v", err)
	}
	f.held += len(b)
	return d
}
