package embed

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/grid/wasm"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
)

// gridRunner runs jobs in wazero for the peer's node. The runtime is
// made on the first job, with compiled modules kept under dir.
type gridRunner struct {
	dir  string
	once sync.Once
	r    *wasm.Runner
	err  error
}

func (g *gridRunner) RunJob(ctx context.Context, job cid.Cid, j *grid.Job, module, input []byte) (node.GridOutput, error) {
	g.once.Do(func() {
		// The runner's caps are the protocol's; the offer's own, smaller
		// ones are checked against each job before it runs.
		g.r, g.err = wasm.NewRunner(context.Background(), wasm.Options{
			CacheDir: g.dir, MaxOutput: node.MaxGridOutput, MaxModuleBytes: node.MaxGridModule,
			MaxMemoryPages: grid.MaxMemoryMiB * 16, MaxTimeout: grid.MaxSeconds * time.Second,
		})
	})
	if g.err != nil {
		return node.GridOutput{}, fmt.Errorf("start the wasm runtime: %w", g.err)
	}
	return node.WasmRunner(g.r).RunJob(ctx, job, j, module, input)
}

// Close stops the runtime, if one was made.
func (g *gridRunner) Close() error {
	g.once.Do(func() {})
	if g.r == nil {
		return nil
	}
	return g.r.Close()
}

// gridMesh is api.GridMesh over the peer's node.
type gridMesh struct{ n *node.Node }

// Offer serves jobs and announces the offer in the DHT; with no DHT peer
// yet, the discovery rounds announce it once there is one.
func (g gridMesh) Offer(ctx context.Context, districts []string) error {
	if err := g.n.OfferGrid(ctx, districts); err != nil && !errors.Is(err, dht.ErrNoPeers) {
		return err
	}
	return nil
}

func (g gridMesh) Withdraw() { g.n.WithdrawGrid() }

func (g gridMesh) Discover(ctx context.Context, district string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return g.n.DiscoverGrid(ctx, district)
}

// paidWait bounds how long grid run waits for the receipts of a verified
// job: the settler writes them just after the vote.
const paidWait = 10 * time.Second

func (g gridMesh) Run(ctx context.Context, req api.GridRunRequest, progress func(string)) (api.GridRunResult, error) {
	run, err := g.n.RunGrid(ctx, node.GridRequest{
		Module: req.Module, Input: req.Input, Args: req.Args, MemoryMiB: req.MemoryMiB, MaxSeconds: req.MaxSeconds,
		Replicas: req.Replicas, MaxPrice: req.MaxPrice, Unit: req.Unit, District: req.District,
		MaxProviders: req.MaxProviders, Progress: func(p node.GridProgress) { progress(p.Note) },
	})
	if err != nil {
		return api.GridRunResult{}, err
	}
	if run.Status.State == grid.Verified {
		g.waitPaid(ctx, run.Job, progress)
	}
	var res api.GridRunResult
	g.n.ReadGrid(func(v *grid.View) {
		st, ok := v.Status(run.Job)
		if !ok {
			st = run.Status
		}
		res = api.GridResultOf(st, v)
	})
	if run.Status.State != grid.Verified && len(run.Status.Answers) == 0 {
		res.Status = "failed"
	}
	for _, a := range run.Attempts {
		if a.Err != "" {
			res.Results = append(res.Results, api.GridResultRow{Provider: a.Provider.String(), DurationMS: a.Duration.Milliseconds(), Error: a.Err})
		}
	}
	res.Output = run.Output
	return res, nil
}

// waitPaid waits, at most paidWait, until the requester's receipts for
// the job pay each provider whose answer agrees (answers that came after
// the vote included).
func (g gridMesh) waitPaid(ctx context.Context, job cid.Cid, progress func(string)) {
	ev, stop := g.n.Subscribe(256)
	defer stop()
	timer := time.NewTimer(paidWait)
	defer timer.Stop()
	for {
		paid, want := 0, 0
		g.n.ReadGrid(func(v *grid.View) {
			paid = len(v.Paid(g.n.ID(), job))
			if st, ok := v.Status(job); ok {
				for _, a := range st.Answers {
					if a.Agrees {
						want++
					}
				}
			}
		})
		if paid >= want {
			progress(fmt.Sprintf("paid %d providers", paid))
			return
		}
		select {
		case <-ev:
		case <-timer.C:
			progress(fmt.Sprintf("paid %d of %d providers so far; the settler pays the rest", paid, want))
			return
		case <-ctx.Done():
			return
		}
	}
}

// arenaMesh is api.ArenaMesh over the peer's node.
type arenaMesh struct{ n *node.Node }

func (a arenaMesh) Browse(ctx context.Context, district, kind string, limit int) ([]protocol.Block, error) {
	return a.n.BrowseArena(ctx, district, kind, limit)
}
