// Package grid is OpenGrid's pure core: the compute kinds (offer, job,
// result) and the view that folds them into verification by replication,
// flags, reputation, standing offers and the payments a requester owes.
// It does no I/O and reads no clock: time comes in as a parameter. The
// rules are docs/PROTOCOL.md §10; the executor and the network live
// elsewhere.
//
// A job is verified when a strict majority of its k replicas agree on
// (output CID, exit code); each agreeing provider is owed its offer's
// price, once:
//
//	k := protocol.DefaultKinds()
//	settle.Register(k)
//	grid.Register(k)
//	v := grid.NewView()
//	for _, b := range blocks {
//		v.Add(settle.Decode(k, b)) // offers, jobs, results, receipts, any order
//	}
//	st, _ := v.Status(jobCID) // st.State, st.Output, st.Majority, st.Flagged()
//	for _, p := range grid.Due(v, me) {
//		// append an entry of kind "receipt" with body p.Receipt()
//	}
package grid
