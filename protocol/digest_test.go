package protocol

import (
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
)

// DigestOf reads the payload digest off the block bytes; it must equal
// IDOf's for every integer width of seq (seq 1 has no prev).
func TestDigestOfMatchesIDOf(t *testing.T) {
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := Sign(key, Entry{Seq: 1, Kind: "note", Body: []byte{0xa0}})
	if err != nil {
		t.Fatal(err)
	}
	var scratch []byte
	for _, seq := range []uint64{1, 2, 23, 24, 255, 256, 65535, 65536, 1<<32 - 1, 1 << 32, 1<<64 - 1} {
		for _, district := range []string{"", "meso/north"} {
			e := Entry{Seq: seq, Time: int64(seq % (1 << 62)), Kind: "proof", District: district, Body: []byte{0xa0}}
			if seq > 1 {
				e.Prev = first.CID
			}
			blk, err := Sign(key, e)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, ok := sigPair(blk.Data); !ok {
				t.Fatalf("seq %d: no sig pair found", seq)
			}
			var got [32]byte
			if got, scratch, err = DigestOf(blk, scratch); err != nil {
				t.Fatal(err)
			}
			want, err := IDOf(blk.Entry)
			if err != nil {
				t.Fatal(err)
			}
			if got != want.Digest || blk.ID() != want {
				t.Errorf("seq %d district %q: digest %x, want %x", seq, district, got, want.Digest)
			}
		}
	}
}

// Bytes of another shape fall back to re-encoding the entry.
func TestSigPairRejectsOtherShapes(t *testing.T) {
	for _, d := range [][]byte{nil, {0xa0}, {0x80}, {0xa2, 0x61, 'v', 0x01}, {0xa3, 0x61, 'v', 0x01, 0x63, 's', 'e', 'q', 0x01, 0x63, 's', 'i', 'g', 0x58, 0x40}} {
		if _, _, ok := sigPair(d); ok {
			t.Errorf("sigPair(%x) found a pair", d)
		}
	}
}

// Block.ID reads the digest off the bytes: no encoding, no allocation.
// The views take the ID of every entry at start; re-encoding each was a
// large share of loading a big vault.
func TestBlockIDAllocatesNothing(t *testing.T) {
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	blk, err := Sign(key, Entry{Seq: 1, Kind: "proof", District: "meso/north", Body: []byte{0xa0}})
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = blk.ID() }); n != 0 {
		t.Errorf("Block.ID: %v allocations", n)
	}
}

// BenchmarkBlockID times Block.ID against IDOf (encoding the payload
// again) on the same entry, and reports the ratio.
func BenchmarkBlockID(b *testing.B) {
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		b.Fatal(err)
	}
	blk, err := Sign(key, Entry{Seq: 1, Time: 1_700_000_000_000, Kind: "proof", District: "meso/north", Body: append([]byte{0xa1, 0x64, 'n', 'o', 't', 'e', 0x79, 0x01, 0x2c}, make([]byte, 300)...)})
	if err != nil {
		b.Fatal(err)
	}
	var subject, reference time.Duration
	for b.Loop() {
		t0 := time.Now()
		_ = blk.ID()
		t1 := time.Now()
		_, _ = IDOf(blk.Entry)
		subject, reference = subject+t1.Sub(t0), reference+time.Since(t1)
	}
	b.ReportMetric(float64(subject.Nanoseconds())/float64(b.N), "ns/ID")
	b.ReportMetric(float64(reference.Nanoseconds())/float64(b.N), "ns/IDOf")
	b.ReportMetric(float64(reference)/float64(subject), "x-faster")
}
