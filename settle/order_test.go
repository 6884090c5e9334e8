package settle

import (
	"bytes"
	"crypto/ed25519"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multihash"
)

// orderPeers returns n distinct Ed25519 peer IDs (38 bytes each, longer
// than the stack buffer a string conversion may use).
func orderPeers(t *testing.T, n int) []peer.ID {
	ids := make([]peer.ID, n)
	for i := range ids {
		seed := make([]byte, ed25519.SeedSize)
		seed[0], seed[1] = byte(i), byte(i>>8)
		k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(seed))
		if err != nil {
			t.Fatal(err)
		}
		if ids[i], err = peer.IDFromPrivateKey(k); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// TestOrderAllocatesNothing: sorting the flagged authors or the proofs of
// the views allocates a constant number of times, not once per
// comparison; at a million entries allocations in comparisons were most
// of the views' CPU.
func TestOrderAllocatesNothing(t *testing.T) {
	const n = 1000
	flags := Flags{}
	v := &Verification{proofs: map[cid.Cid]*Status{}}
	for i, id := range orderPeers(t, n) {
		flags[id] = true
		h, _ := multihash.Sum([]byte{byte(i), byte(i >> 8)}, multihash.SHA2_256, -1)
		v.proofs[cid.NewCidV1(cid.DagCBOR, h)] = &Status{}
	}
	// SortedFunc grows its slice a few times; a comparison that allocates
	// would add about n·log2(n) ≈ 10,000.
	if a := testing.AllocsPerRun(10, func() { _ = flags.List() }); a > 30 {
		t.Errorf("sorting %d flagged authors: %v allocations", n, a)
	}
	if a := testing.AllocsPerRun(10, func() { _ = v.All() }); a > 30 {
		t.Errorf("listing %d proofs: %v allocations", n, a)
	}
}

// BenchmarkOrder sorts the proofs of a 10,000-proof verification view
// and, in the same run, the same CIDs by their bytes as the views did
// before (an allocation per comparison), and reports the ratio.
func BenchmarkOrder(b *testing.B) {
	const n = 10_000
	v := &Verification{proofs: map[cid.Cid]*Status{}}
	for i := range n {
		h, _ := multihash.Sum([]byte{byte(i), byte(i >> 8)}, multihash.SHA2_256, -1)
		v.proofs[cid.NewCidV1(cid.DagCBOR, h)] = &Status{}
	}
	var subject, reference time.Duration
	for b.Loop() {
		t0 := time.Now()
		_ = v.All()
		t1 := time.Now()
		_ = slices.SortedFunc(maps.Keys(v.proofs), func(a, b cid.Cid) int { return bytes.Compare(a.Bytes(), b.Bytes()) })
		subject, reference = subject+t1.Sub(t0), reference+time.Since(t1)
	}
	b.ReportMetric(float64(subject)/float64(b.N)/1e6, "ms/list")
	b.ReportMetric(float64(reference)/float64(b.N)/1e6, "ms/bytes-sort")
	b.ReportMetric(float64(reference)/float64(subject), "x-faster")
}
