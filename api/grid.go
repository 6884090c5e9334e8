package api

import (
	"context"
	"fmt"

	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/protocol"
)

// GridMesh is the running daemon's part of OpenGrid: announcing this peer
// as a provider, finding providers through the DHT, and running a job on
// the mesh. Without a daemon it is nil and those calls are ErrOffline.
type GridMesh interface {
	// Offer announces this peer as a provider of districts in the DHT
	// and serves jobs; Withdraw stops both.
	Offer(ctx context.Context, districts []string) error
	Withdraw()
	// Discover looks providers of district up in the DHT and syncs with
	// those this peer did not know, so that their offers are held.
	Discover(ctx context.Context, district string) (found int, err error)
	// Run runs a job (see node.RunGrid), telling progress as it goes.
	Run(ctx context.Context, req GridRunRequest, progress func(string)) (GridRunResult, error)
}

// GridOfferRequest is the body of POST /v1/grid/offer.
type GridOfferRequest struct {
	MemoryMiB  uint32   `json:"memory_mib"`
	MaxSeconds uint32   `json:"max_seconds"`
	Price      uint64   `json:"price"`
	Unit       string   `json:"unit"`
	Districts  []string `json:"districts"` // served; empty: every district
	District   string   `json:"district"`  // the offer entry's own district
	Expires    int64    `json:"expires"`   // unix ms; 0 never
	Withdraw   bool     `json:"withdraw"`
}

// GridOfferRow is one provider's standing offer, with its reputation.
type GridOfferRow struct {
	Provider   string   `json:"provider"`
	Offer      string   `json:"offer"` // CID of the offer entry
	MemoryMiB  uint32   `json:"memory_mib"`
	MaxSeconds uint32   `json:"max_seconds"`
	Price      uint64   `json:"price"`
	Unit       string   `json:"unit"`
	Districts  []string `json:"districts"`
	Expires    int64    `json:"expires"`
	Verified   int      `json:"verified"`  // results in the majority of a verified job
	Disagreed  int      `json:"disagreed"` // results in the minority
	Errors     int      `json:"errors"`
}

// GridRunRequest is the body of POST /v1/grid/run.
type GridRunRequest struct {
	Module       []byte   `json:"module"` // base64 in JSON
	Input        []byte   `json:"input"`
	Args         []string `json:"args"`
	MemoryMiB    uint32   `json:"memory_mib"`
	MaxSeconds   uint32   `json:"max_seconds"`
	Replicas     uint8    `json:"replicas"`
	MaxPrice     uint64   `json:"max_price"`
	Unit         string   `json:"unit"`
	District     string   `json:"district"`
	MaxProviders int      `json:"max_providers"`
}

// GridResultRow is one provider's answer to a job.
type GridResultRow struct {
	Provider   string `json:"provider"`
	Result     string `json:"result,omitempty"` // CID of its result entry
	OutputCID  string `json:"output_cid,omitempty"`
	Exit       uint32 `json:"exit"`
	Agrees     bool   `json:"agrees"`
	DurationMS int64  `json:"duration_ms"`
	Error      string `json:"error,omitempty"`
	Why        string `json:"why,omitempty"` // why it does not count, when it does not
}

// GridPaidRow is one receipt that paid a provider for a job.
type GridPaidRow struct {
	Provider string `json:"provider"`
	Receipt  string `json:"receipt"`
	Amount   uint64 `json:"amount"`
	Unit     string `json:"unit"`
}

// GridRunResult is the answer of `mycel grid run` and of `grid show`.
type GridRunResult struct {
	Job       string          `json:"job"`
	Requester string          `json:"requester"`
	Status    string          `json:"status"` // verified | disputed | pending | failed
	OutputCID string          `json:"output_cid,omitempty"`
	Output    []byte          `json:"output,omitempty"` // the verified output (grid run only)
	Replicas  uint8           `json:"replicas"`
	District  string          `json:"district"`
	Results   []GridResultRow `json:"results"`
	Paid      []GridPaidRow   `json:"paid"`
}

// GridOffer publishes this peer's offer (or its withdrawal) and, in the
// daemon, announces it in the DHT and serves jobs.
func (l *Local) GridOffer(ctx context.Context, req GridOfferRequest) (Written, error) {
	if l.Grid == nil {
		return Written{}, fmt.Errorf("%w: a provider serves jobs while its daemon runs: start it with mycel daemon", ErrOffline)
	}
	o := &grid.Offer{Withdrawn: true}
	if !req.Withdraw {
		o = &grid.Offer{Runtime: grid.Runtime, MemoryMiB: req.MemoryMiB, MaxSeconds: req.MaxSeconds,
			Price: req.Price, Unit: req.Unit, Districts: req.Districts, Expires: req.Expires}
	}
	if err := o.Check(); err != nil {
		return Written{}, badInput("offer: %v", err)
	}
	w, err := l.write(ctx, grid.KindOffer, req.District, o)
	if err != nil {
		return Written{}, err
	}
	if req.Withdraw {
		l.Grid.Withdraw()
		return w, nil
	}
	if err := l.Grid.Offer(ctx, req.Districts); err != nil {
		return w, fmt.Errorf("offer written; announce it: %w", err)
	}
	return w, nil
}

// gridView computes the grid view of the vault's grid entries and the
// receipts that pay for them.
func (l *Local) gridView() (*grid.View, error) {
	recs, err := l.held("", grid.KindOffer, grid.KindJob, grid.KindResult, protocol.KindReceipt)
	if err != nil {
		return nil, err
	}
	return grid.Compute(recs), nil
}

// GridOffers lists the standing offers held (in the daemon, after a DHT
// lookup of district's providers), cheapest first, with reputations.
func (l *Local) GridOffers(ctx context.Context, district string) ([]GridOfferRow, error) {
	if district != "" && !protocol.ValidDistrict(district) {
		return nil, badInput("district %q is not a lowercase path like meso-valley/north", district)
	}
	if l.Grid != nil {
		_, _ = l.Grid.Discover(ctx, district) // what the DHT knows; the held offers still answer
	}
	v, err := l.gridView()
	if err != nil {
		return nil, err
	}
	out := []GridOfferRow{}
	for _, c := range v.Offers(l.now().UnixMilli()) {
		if district != "" && !c.Offer.Serves(district) {
			continue
		}
		r := v.Reputation(c.Provider)
		out = append(out, GridOfferRow{
			Provider: c.Provider.String(), Offer: c.CID.String(), MemoryMiB: c.Offer.MemoryMiB, MaxSeconds: c.Offer.MaxSeconds,
			Price: c.Offer.Price, Unit: c.Offer.Unit, Districts: orEmpty(c.Offer.Districts), Expires: c.Offer.Expires,
			Verified: r.Verified, Disagreed: r.Disagreed, Errors: r.Errors,
		})
	}
	return out, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// GridRun runs a job on the mesh; it needs the daemon.
func (l *Local) GridRun(ctx context.Context, req GridRunRequest, progress func(string)) (GridRunResult, error) {
	if l.Grid == nil {
		return GridRunResult{}, fmt.Errorf("%w: a job runs on the mesh: start the daemon with mycel daemon", ErrOffline)
	}
	if progress == nil {
		progress = func(string) {}
	}
	return l.Grid.Run(ctx, req, progress)
}

// GridJobs lists the jobs this peer asked for or answered, by CID.
func (l *Local) GridJobs(ctx context.Context) ([]GridRunResult, error) {
	v, err := l.gridView()
	if err != nil {
		return nil, err
	}
	me := l.Vault.ID()
	out := []GridRunResult{}
	for _, st := range v.Jobs() {
		mine := st.Requester == me
		for _, a := range st.Answers {
			mine = mine || a.Provider == me
		}
		if mine {
			out = append(out, GridResultOf(st, v))
		}
	}
	return out, nil
}

// GridJob returns a job's status: its results, the vote and what paid.
func (l *Local) GridJob(ctx context.Context, job string) (GridRunResult, error) {
	c, err := ParseCID(job)
	if err != nil {
		return GridRunResult{}, err
	}
	v, err := l.gridView()
	if err != nil {
		return GridRunResult{}, err
	}
	st, ok := v.Status(c)
	if !ok {
		return GridRunResult{}, notFound("no job %s in the vault: mycel grid jobs lists the jobs held", c)
	}
	return GridResultOf(st, v), nil
}

// GridResultOf describes a job's status in v: its answers and the
// receipts of its requester that link it.
func GridResultOf(st grid.Status, v *grid.View) GridRunResult {
	out := GridRunResult{
		Job: st.CID.String(), Requester: st.Requester.String(), Status: st.State.String(),
		Replicas: st.Job.Replicas, District: st.Job.District, Results: []GridResultRow{}, Paid: []GridPaidRow{},
	}
	if st.State == grid.Verified {
		out.OutputCID = st.Output.String()
	}
	for _, a := range st.Answers {
		row := GridResultRow{
			Provider: a.Provider.String(), Result: a.CID.String(), Exit: a.Exit, Agrees: a.Agrees,
			DurationMS: int64(a.DurationMS), Error: a.Error,
		}
		if a.Output.Defined() {
			row.OutputCID = a.Output.String()
		}
		if !a.Counted {
			row.Why = a.Why
		}
		out.Results = append(out.Results, row)
	}
	for _, p := range v.Paid(st.Requester, st.CID) {
		out.Paid = append(out.Paid, GridPaidRow{Provider: p.Payee.String(), Receipt: p.CID.String(), Amount: p.Amount, Unit: p.Unit})
	}
	return out
}
