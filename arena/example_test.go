package arena_test

import (
	"fmt"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// A poster offers 10 credits for a problem; two builders solve it and
// the poster splits the bounty 7 / 5, so the second share is cut to 3.
// Once the receipts are in, nothing more is due.
func Example() {
	k := protocol.DefaultKinds()
	settle.Register(k)
	arena.Register(k)
	tb := entrytest.PanicTB{}
	poster, ann, bob := entrytest.NewAuthor(tb, 1), entrytest.NewAuthor(tb, 2), entrytest.NewAuthor(tb, 3)

	p := poster.Next(tb, k, arena.KindProblem, "meso", 1000, &arena.Problem{
		Domain: "MIP-AGR@1", Title: "soil carbon of plot 7", Bounty: 10, Unit: "credit", Deadline: 5000,
	})
	sa := ann.Next(tb, k, arena.KindSolution, "meso", 1100, &arena.Solution{Problem: protocol.LinkTo(p.CID), Summary: "sampled"})
	sb := bob.Next(tb, k, arena.KindSolution, "meso", 1200, &arena.Solution{Problem: protocol.LinkTo(p.CID), Summary: "modelled"})
	acc := poster.Next(tb, k, arena.KindAccept, "meso", 2000, &arena.Accept{Problem: protocol.LinkTo(p.CID), Shares: []arena.Share{
		{Solution: protocol.LinkTo(sa.CID), Share: 7}, {Solution: protocol.LinkTo(sb.CID), Share: 5},
	}})
	blocks := []protocol.Block{acc.Block, sb.Block, p.Block, sa.Block}
	v := arena.NewView()
	for _, b := range blocks {
		v.Add(settle.Decode(k, b)) // problems, solutions, accepts, receipts, any order
	}
	var recs []*settle.Record // the district entries: none here, so no stewards
	var flags settle.Flags
	var pins settle.Pins
	at := arena.At{Now: 3000, Stewards: arena.StewardsOf(settle.RostersOf(recs, flags, pins))}

	st, _ := v.Status(p.CID, at)
	fmt.Println(st.State, len(st.All), "solutions")
	for _, pay := range arena.Due(v, poster.ID, at) {
		fmt.Println(pay.Solver == ann.ID, pay.Amount, pay.Unit)
		v.Add(poster.Next(tb, k, protocol.KindReceipt, "meso", 3000, pay.Receipt()))
	}
	fmt.Println(len(arena.Due(v, poster.ID, at)), "due after the receipts")
	// Output:
	// solved 2 solutions
	// true 7 credit
	// false 3 credit
	// 0 due after the receipts
}
