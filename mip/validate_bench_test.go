package mip

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
)

// entryDomain is protocol's signing domain; ed25519.Verify below fails
// unless it and the payload are exactly what the author signed.
const entryDomain = "mycel/entry/v1\x00"

// BenchmarkValidate: the full entry validation a gossip validator runs on
// a realistic MIP-HLT proof (Checker.CheckBytes: strict canonical decode,
// CID, Ed25519 signature, proof body check, claim JSON Schema) against a
// bare crypto/ed25519.Verify of the same signed bytes, timed in the same
// loop iteration. validate/verify-throughput is verify time / validate
// time: the share of raw verify throughput per core that full validation
// reaches (target >= 0.8).
func BenchmarkValidate(b *testing.B) {
	kinds := protocol.DefaultKinds()
	Register(kinds)
	c := Checker{Kinds: kinds, MIPs: Builtins()}
	hlt, _ := c.MIPs.Lookup("MIP-HLT@1")
	blk := sign(b, 1, protocol.KindProof, proofOf("MIP-HLT@1", hlt.Examples[0]))
	payload, err := protocol.Payload(blk.Entry)
	if err != nil {
		b.Fatal(err)
	}
	msg := append([]byte(entryDomain), payload...)
	raw, err := key(b, 1).GetPublic().Raw()
	if err != nil {
		b.Fatal(err)
	}
	pub, sig := ed25519.PublicKey(raw), blk.Entry.Sig
	var validate, verify time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if got, v := c.CheckBytes(blk.Data); v.Outcome != protocol.Accept || got.CID != blk.CID {
			b.Fatalf("validate: %v", v.Reason)
		}
		t1 := time.Now()
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("verify")
		}
		validate, verify = validate+t1.Sub(t0), verify+time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(validate.Nanoseconds())/n, "ns/validate")
	b.ReportMetric(float64(verify.Nanoseconds())/n, "ns/verify")
	b.ReportMetric(float64(verify)/float64(validate), "validate/verify-throughput")
}
