// Package mip is Mycel's MIP registry: the domain schemas that claims in
// proof entries must satisfy and the policies that say when a proof is
// verified, the eight built-in MIPs, MIP definitions published as "mip"
// entries, and the full entry check that every edge (gossip, sync, bundle
// import, CLI) runs. It is pure: no I/O beyond its embedded files.
//
// A MIP is named by a ref, "MIP-HLT@1". Its claim schema is JSON Schema
// draft 2020-12; claims travel as DAG-CBOR, which forbids floats, so every
// number in a claim is an integer in a scaled unit ("baseline_x10", grams,
// watt-hours, basis points).
//
//	r := mip.Builtins()
//	claim, err := mip.ClaimFromJSON(data)          // a user's claim file
//	err = r.CheckClaim("MIP-HLT@1", claim)          // claim field "/cohort_size": must be >= 1, got 0
//
//	kinds := protocol.DefaultKinds()
//	mip.Register(kinds)                             // the "mip" kind
//	c := mip.Checker{Kinds: kinds, MIPs: r}
//	b, verdict := c.CheckBytes(data)                // Accept, Reject or Ignore, with a reason
//	if verdict.Outcome == protocol.Accept && b.Entry.Kind == protocol.KindMIP {
//		_ = r.Load(b)                               // a newly published MIP
//	}
package mip
