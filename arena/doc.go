// Package arena is the problem network's pure core: the kinds problem,
// solution and accept, and the view that folds them into problem
// statuses (open, solved, expired), district and domain feeds, proof of
// agency and the bounty payments a poster owes. It does no I/O and reads
// no clock: the time and the stewards of each district come in as
// parameters (At). The rules are docs/PROTOCOL.md §11.
//
// A problem is solved by its poster's accept, or, once its deadline has
// passed with no accept of the poster, by an accept of a steward of its
// district; the accept's shares are paid to the solvers, once, never
// beyond the bounty:
//
//	k := protocol.DefaultKinds()
//	settle.Register(k)
//	arena.Register(k)
//	v := arena.NewView()
//	for _, b := range blocks {
//		v.Add(settle.Decode(k, b)) // problems, solutions, accepts, receipts, any order
//	}
//	at := arena.At{Now: now, Stewards: arena.StewardsOf(settle.RostersOf(recs, flags, pins))}
//	st, _ := v.Status(problemCID, at) // st.State, st.Solutions, st.Accept
//	for _, p := range arena.Due(v, me, at) {
//		// append an entry of kind "receipt" with body p.Receipt()
//	}
package arena
