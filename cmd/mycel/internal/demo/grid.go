package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ipfs/go-cid"
	libp2ppeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/grid/wasm"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
)

// liar runs jobs as an honest provider does, then flips the first byte
// of what the module printed, as a dishonest one would.
type liar struct{ node.GridRunner }

func (l liar) RunJob(ctx context.Context, job cid.Cid, j *grid.Job, module, input []byte) (node.GridOutput, error) {
	out, err := l.GridRunner.RunJob(ctx, job, j, module, input)
	if err == nil && len(out.Stdout) > 0 {
		out.Stdout = append([]byte{out.Stdout[0] ^ 0x20}, out.Stdout[1:]...)
	}
	return out, err
}

// gridJob: three peers offer their spare cycles, one of them dishonest;
// the clinic runs a small WebAssembly job on all three, the two honest
// answers outvote the third, and the clinic's node pays the two.
func (d *district) gridJob(ctx context.Context) error {
	providers := []*peer{d.farm, d.school, d.bruno}
	for _, p := range providers {
		enc, err := protocol.EncodeBody(&grid.Offer{Runtime: grid.Runtime, MemoryMiB: 16, MaxSeconds: 10, Price: 2, Unit: "credit"})
		if err != nil {
			return err
		}
		if _, err := p.node.Publish(ctx, protocol.Entry{Kind: grid.KindOffer, District: District, Time: time.Now().UnixMilli(), Body: enc}); err != nil {
			return fmt.Errorf("%s offers: %w", p.name, err)
		}
		_ = p.node.OfferGrid(ctx, nil) // the DHT announcement follows on the discovery rounds
		how := "honest"
		if p == d.bruno {
			how = "dishonest: flips a byte of every output"
		}
		d.say.say("%-12s offers to run jobs: 16 MiB, 10 s, 2 credit a job (%s)", p.name, how)
	}
	if err := d.clinic.waitOffers(ctx, len(providers)); err != nil {
		return err
	}
	for _, p := range providers { // in the field: the addresses a DHT lookup of the providers gives
		if err := d.clinic.node.Connect(ctx, p.node.AddrInfo()); err != nil {
			return fmt.Errorf("clinic dials %s: %w", p.name, err)
		}
	}
	input := []byte("cohort 240: hba1c 68.5 -> 58.3 mmol/mol\n")
	d.say.say("the clinic sends a %d-byte WASI module (it echoes its input) to all three, 2 of 3 must agree…", len(wasm.Echo))
	run, err := d.clinic.node.RunGrid(ctx, node.GridRequest{
		Module: wasm.Echo, Input: input, MemoryMiB: 1, MaxSeconds: 5,
		Replicas: 3, MaxPrice: 2, Unit: "credit", District: District,
		Progress: func(p node.GridProgress) { d.say.detail("%s", d.names(p.Note)) },
	})
	if err != nil {
		return err
	}
	if run.Status.State != grid.Verified {
		return fmt.Errorf("the job is %s", run.Status.State)
	}
	d.say.say("VERIFIED: output %q, agreed by %s", run.Output, d.nameList(run.Status.Majority))
	for _, p := range run.Status.Minority {
		d.say.say("outvoted: %s answered other bytes; it is flagged on this job and not paid", d.nameOf(p.String()))
	}
	d.say.say("the clinic's node pays each agreeing provider by itself, exactly once…")
	return d.clinic.waitGridPaid(ctx, run.Job, len(run.Status.Majority), d)
}

// waitOffers waits, on the peer's events, until it holds n offers.
func (p *peer) waitOffers(ctx context.Context, n int) error {
	for {
		held := 0
		p.node.ReadGrid(func(v *grid.View) { held = len(v.Offers(time.Now().UnixMilli())) })
		if held >= n {
			return nil
		}
		select {
		case <-p.events:
		case <-ctx.Done():
			return fmt.Errorf("%s holds %d of %d offers: %w", p.name, held, n, ctx.Err())
		}
	}
}

// waitGridPaid waits until the peer's receipts pay want providers for job.
func (p *peer) waitGridPaid(ctx context.Context, job cid.Cid, want int, d *district) error {
	for {
		var paid []grid.PaidReceipt
		p.node.ReadGrid(func(v *grid.View) { paid = v.Paid(p.node.ID(), job) })
		if len(paid) >= want {
			for _, r := range paid {
				d.say.say("receipt %s: %s pays %s %d %s for the job and its result", short(r.CID.String()), p.name, d.nameOf(r.Payee.String()), r.Amount, r.Unit)
				if err := d.spread(ctx, protocol.Block{CID: r.CID}); err != nil {
					return err
				}
			}
			return nil
		}
		select {
		case <-p.events:
		case <-ctx.Done():
			return fmt.Errorf("%s paid %d of %d providers: %w", p.name, len(paid), want, ctx.Err())
		}
	}
}

// names replaces the peer IDs in s by the demo's names.
func (d *district) names(s string) string {
	for _, p := range d.all {
		s = strings.ReplaceAll(s, p.vault.ID().String(), p.name)
	}
	return s
}

// nameList names peers, joined by "and".
func (d *district) nameList(ids []libp2ppeer.ID) string {
	var out []string
	for _, id := range ids {
		out = append(out, d.nameOf(id.String()))
	}
	return strings.Join(out, " and ")
}
