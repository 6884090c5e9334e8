package entryset_test

import (
	"crypto/rand"
	"fmt"

	"github.com/mesocosm/mycel/internal/entryset"
	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Two blocks of one entry (two signatures over one payload) are one entry
// in the index, reported by the smaller CID, and a link to either names
// it.
func Example() {
	tb := entrytest.PanicTB{}
	k := protocol.DefaultKinds()
	settle.Register(k)
	a := entrytest.NewAuthor(tb, 1)
	r := a.Next(tb, k, protocol.KindAttest, "meso", 1000, &protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte("p"))), Verdict: protocol.Valid})
	again := a.Resign(tb, k, r, rand.Reader)

	x := entryset.New()
	_, first, _ := x.Add(r)
	e, firstAgain, _ := x.Add(again)
	_, _, given := x.Add(r)
	fmt.Println("first:", first, firstAgain, "given again:", given, "blocks:", len(e.Blocks))

	smaller := r.CID
	if again.CID.KeyString() < smaller.KeyString() {
		smaller = again.CID
	}
	byR, _ := x.Named(r.CID)
	byAgain, _ := x.Named(again.CID)
	fmt.Println(byR == byAgain, e.CID == smaller, e.ID() == r.ID)
	// Output:
	// first: true false given again: true blocks: 2
	// true true true
}
