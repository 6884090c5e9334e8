package node

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/mesocosm/mycel/mip/miptest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// TestWithdrawnPledgeNotPaid: a funder's node that withdrew its pledge
// pays nothing for a proof verified afterwards, and a receipt planned
// before the withdraw is not appended after it.
func TestWithdrawnPledgeNotPaid(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	v, err := vault.Create(filepath.Join(t.TempDir(), "funder.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	n := offlineNode(t, v)
	id := n.ID()
	gen, deliver, paid := settleWorld(t, id, 1)
	publish(t, ctx, n, settle.KindDistrict, gen)
	pledge := publish(t, ctx, n, protocol.KindPledge, hltPledge(10, 1000))
	publish(t, ctx, n, settle.KindWithdraw, &settle.Withdraw{Pledge: protocol.LinkTo(pledge.CID)})
	if rep, err := n.Import(bytes.NewReader(miptest.Bundle(t, deliver...)), nil); err != nil || rep.New != 3 {
		t.Fatalf("import %+v, %v", rep, err)
	}
	until(t, ctx, n, "the proof verified", func(vs *Views) bool {
		st, ok := vs.Status(paid[0])
		return ok && st.Verified
	})
	if err := n.settler.quiet(ctx); err != nil {
		t.Fatal(err)
	}
	if got := receiptsFor(n.Views(), id); len(got) != 0 {
		t.Fatalf("paid under a withdrawn pledge: %v", got)
	}
	// A due planned before the withdraw, paid after it: skipped.
	st, _ := n.Views().Status(paid[0])
	due := settle.Due{Pledge: pledge.CID, Proof: paid[0], District: district, Receipt: settle.Receipt{
		Payee: []byte(st.Author), Amount: 10, Unit: unit,
		For: []protocol.Link{protocol.LinkTo(paid[0]), protocol.LinkTo(pledge.CID)},
	}}
	if err := n.pay(ctx, due); err != nil {
		t.Fatal(err)
	}
	if got := receiptsFor(n.Views(), id); len(got) != 0 {
		t.Fatalf("a due planned before the withdraw was paid after it: %v", got)
	}
}
