package node

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// gridWorld signs offers at 5 credit a job by three providers and their
// results for job: two agree, the third returns other bytes.
func gridWorld(t testing.TB, job cid.Cid) (providers []*chain, blocks []protocol.Block) {
	for i := range 3 {
		p := newChain(t)
		providers = append(providers, p)
		blocks = append(blocks, p.next(t, grid.KindOffer, &grid.Offer{
			Runtime: grid.Runtime, MemoryMiB: 64, MaxSeconds: 10, Price: 5, Unit: unit,
		}))
		out := []byte("42\n")
		if i == 2 {
			out = []byte("41\n") // the liar
		}
		blocks = append(blocks, p.next(t, grid.KindResult, &grid.Result{
			Job: protocol.LinkTo(job), Output: protocol.LinkTo(grid.BytesCID(out)), OutputSize: uint64(len(out)), DurationMS: 3,
		}))
	}
	return providers, blocks
}

func gridJob() *grid.Job {
	return &grid.Job{
		Module: protocol.LinkTo(grid.BytesCID([]byte("\x00asm"))), Input: protocol.LinkTo(grid.BytesCID(nil)),
		MemoryMiB: 64, MaxSeconds: 10, Replicas: 3, MaxPrice: 10, Unit: unit, District: district,
	}
}

// gridPaid counts the requester's receipts per payee that link job.
func gridPaid(v *Views, requester peer.ID, job cid.Cid) map[peer.ID]int {
	out := map[peer.ID]int{}
	for _, l := range v.Lines() {
		for _, f := range l.For {
			if l.Payer == requester && f.Equals(job) {
				out[l.Payee]++
			}
		}
	}
	return out
}

// TestGridPaysAgreeingProviders: a requester's node pays each provider of
// the majority of its verified job once, by a receipt that links the job
// and the result, across a restart after each receipt it writes and with
// the results delivered by several goroutines at once; the provider in
// the minority is never paid.
func TestGridPaysAgreeingProviders(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	mn := newMocknet(t)
	path := filepath.Join(t.TempDir(), "requester.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := mockNode(t, mn, v)
	id := n.ID()
	job := publish(t, ctx, n, grid.KindJob, gridJob())
	providers, deliver := gridWorld(t, job.CID)
	n, restarts := payAcrossRestarts(t, ctx, mn, n, v, path, deliver, true, func(v *Views) bool { return len(gridPaid(v, id, job.CID)) == 2 })
	paid := gridPaid(n.Views(), id, job.CID)
	for i, p := range providers {
		want := 1
		if i == 2 {
			want = 0
		}
		if paid[p.id] != want {
			t.Errorf("provider %d paid %d times, want %d (after %d restarts)", i, paid[p.id], want, restarts)
		}
	}
	for _, l := range n.Views().Lines() {
		if l.Payer == id && (l.Amount != 5 || l.Unit != unit || len(l.For) != 2) {
			t.Errorf("receipt %+v: want 5 %s for the job and the result", l, unit)
		}
	}
	t.Logf("paid across %d restarts between receipts", restarts)
}
