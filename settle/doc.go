// Package settle is Mycel's ledger: the settlement kinds (receipt, pledge,
// district, role, fraud) and the pure views over a set of entries that turn
// them into verification status, mutual-credit balances, coverage, flags,
// the receipts a pledger owes and the fraud entries a follower of forked
// authors owes. It does no I/O and reads no clock: time comes in as a
// parameter.
//
// Entries are decoded once into Records and collected in a Set, whose Merge
// is set union. Every view is a deterministic function of the set; the
// receipts a pledger owes are planned from it (Example runs this):
//
//	k := protocol.DefaultKinds()
//	settle.Register(k)
//	l := settle.NewLedger(nil)
//	for _, b := range blocks {
//		l.Add(settle.Decode(k, b))
//	}
//	v := settle.Verify(l.Set(), settle.PolicyOf(mip.Builtins()), nil)
//	due := settle.PlanFor(me, l.Set(), v, nowMillis)
//
// l.Balances() lists (account, unit, balance) and l.Digest() is equal on
// every replica holding the same entries. The fraud entries a follower of
// forked authors owes are planned the same way (ExamplePlanFrauds):
//
//	plan := settle.PlanFrauds(me, s, s.Forked(), convicted)
package settle
