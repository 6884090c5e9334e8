package protocol

import (
	"crypto/ed25519"
	"testing"
	"time"
)

// The benchmarks time the subject and its reference in the same loop and
// report both and their ratio: what the envelope (canonical checks, CBOR,
// CID) costs on top of the bare Ed25519 operation.

func benchBlock(b *testing.B) (Block, ed25519.PrivateKey, []byte) {
	seed := make([]byte, ed25519.SeedSize)
	seed[31] = 1
	raw := ed25519.NewKeyFromSeed(seed)
	blk := goldenBlocks(b)[0].b
	payload, err := Payload(blk.Entry)
	if err != nil {
		b.Fatal(err)
	}
	return blk, raw, append([]byte(signingDomain), payload...)
}

func BenchmarkOpen(b *testing.B) {
	blk, raw, msg := benchBlock(b)
	pub := raw.Public().(ed25519.PublicKey)
	var open, verify time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := Open(blk.Data); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if !ed25519.Verify(pub, msg, blk.Entry.Sig) {
			b.Fatal("verify")
		}
		open, verify = open+t1.Sub(t0), verify+time.Since(t1)
	}
	report(b, "open", open, "verify", verify)
}

func BenchmarkSign(b *testing.B) {
	blk, raw, msg := benchBlock(b)
	key := seedKey(b, 1)
	e := blk.Entry
	e.Sig = nil
	var sign, ref time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := Sign(key, e); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		_ = ed25519.Sign(raw, msg)
		sign, ref = sign+t1.Sub(t0), ref+time.Since(t1)
	}
	report(b, "sign", sign, "ed25519", ref)
}

func BenchmarkCanonical(b *testing.B) {
	blk, _, _ := benchBlock(b)
	b.SetBytes(int64(len(blk.Data)))
	for b.Loop() {
		if err := Canonical(blk.Data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInclusion(b *testing.B) {
	leaves, salts, contents := testLeaves(1024)
	root := Root(leaves)
	c := Commitment{Root: root[:], Count: 1024}
	path, _ := Inclusion(leaves, 777)
	d := Disclosure{Content: contents[777], Salt: salts[777], Index: 777, Path: path}
	for b.Loop() {
		if err := d.Verify(c); err != nil {
			b.Fatal(err)
		}
	}
}

func report(b *testing.B, subject string, s time.Duration, reference string, r time.Duration) {
	n := float64(b.N)
	b.ReportMetric(float64(s.Nanoseconds())/n, "ns/"+subject)
	b.ReportMetric(float64(r.Nanoseconds())/n, "ns/"+reference)
	b.ReportMetric(float64(s)/float64(r), subject+"/"+reference)
}
