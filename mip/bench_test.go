package mip

import (
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
)

// pair runs ref and subject b.N times each in the same benchmark and
// reports the reference's ns/op and the subject/reference ratio.
func pair(b *testing.B, refName string, ref, subject func()) {
	b.Helper()
	start := time.Now()
	for range b.N {
		ref()
	}
	refNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	start = time.Now()
	for range b.N {
		subject()
	}
	subNs := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	b.ReportMetric(refNs, refName+"-ns/op")
	b.ReportMetric(subNs, "subject-ns/op")
	b.ReportMetric(subNs/refNs, "ratio")
}

// BenchmarkCheckBytes: the full entry check of a proof (subject) against
// protocol.Open alone, strict decoding and signature (reference). The
// ratio is what kind and MIP checks add at the gossip edge.
func BenchmarkCheckBytes(b *testing.B) {
	c := Checker{Kinds: protocol.DefaultKinds(), MIPs: Builtins()}
	hlt, _ := c.MIPs.Lookup("MIP-HLT@1")
	data := sign(b, 1, protocol.KindProof, proofOf("MIP-HLT@1", hlt.Examples[0])).Data
	pair(b, "open",
		func() {
			if _, err := protocol.Open(data); err != nil {
				b.Fatal(err)
			}
		},
		func() {
			if _, v := c.CheckBytes(data); v.Outcome != protocol.Accept {
				b.Fatal(v.Reason)
			}
		})
}

// BenchmarkCheckClaim: CheckClaim as entries meet it (subject: the lean
// schema and the exact integer checks, see intfield.go) against the full
// schema's validator alone on a claim converted beforehand (reference).
func BenchmarkCheckClaim(b *testing.B) {
	r := Builtins()
	hlt, _ := r.Lookup("MIP-HLT@1")
	d := r.find("MIP-HLT@1")
	v, err := JSONValue(hlt.Examples[0])
	if err != nil {
		b.Fatal(err)
	}
	pair(b, "validate",
		func() {
			if err := d.schema.Validate(v); err != nil {
				b.Fatal(err)
			}
		},
		func() {
			if err := r.CheckClaim("MIP-HLT@1", hlt.Examples[0]); err != nil {
				b.Fatal(err)
			}
		})
}
