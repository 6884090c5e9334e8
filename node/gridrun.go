package node

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/replicate"
	"github.com/mesocosm/mycel/vault"
)

// GridRequest is a job for RunGrid: the module and input bytes and the
// job's terms (see grid.Job).
type GridRequest struct {
	Module, Input []byte
	Args          []string
	MemoryMiB     uint32
	MaxSeconds    uint32
	Replicas      uint8 // providers that must agree: a strict majority of them
	MaxPrice      uint64
	Unit          string
	District      string
	// MaxProviders is the most providers asked in all, the replicas
	// included, before the job is reported disputed; 0: 2·Replicas+1.
	MaxProviders int
	// Progress, when set, is told each step.
	Progress func(GridProgress)
}

// GridProgress is one step of RunGrid, in words and counts.
type GridProgress struct {
	Note     string // "sent to 12D3…", "provider 12D3… timed out", "2 of 3 results, agreeing"
	Sent     int
	Results  int
	Agreeing int
}

// GridAttempt is one provider asked: its result entry, or why none came.
type GridAttempt struct {
	Provider peer.ID
	Result   cid.Cid // undefined when the provider gave no result
	Output   cid.Cid
	Duration time.Duration
	Err      string
}

// GridRun is what RunGrid ended with.
type GridRun struct {
	Job      cid.Cid
	Status   grid.Status // the job's status in the node's views
	Output   []byte      // the verified output as an answer brought it; nil unless Status.State is grid.Verified
	Attempts []GridAttempt
}

// Errors of RunGrid.
var (
	ErrNoOffer     = errors.New("no offer matches the job")
	ErrGridBadPeer = errors.New("provider's answer does not hold")
)

// RunGrid publishes a job, sends it to Replicas providers whose offers
// fit it (offers the node holds, and those of providers found in the DHT
// under the job's district, fetched by sync), chosen by reputation and
// then price, never the node itself nor one peer twice, and waits until a
// strict majority of Replicas agree on the output (verified), or until
// MaxProviders were asked without a majority (disputed). The node's
// settler pays the agreeing providers once the job is verified.
func (n *Node) RunGrid(ctx context.Context, req GridRequest) (GridRun, error) {
	if len(req.Module) > MaxGridModule || len(req.Input) > MaxGridInput {
		return GridRun{}, fmt.Errorf("grid run: module or input too large (limits %d and %d bytes)", MaxGridModule, MaxGridInput)
	}
	j := &grid.Job{
		Module: protocol.LinkTo(grid.BytesCID(req.Module)), Input: protocol.LinkTo(grid.BytesCID(req.Input)),
		Args: req.Args, MemoryMiB: req.MemoryMiB, MaxSeconds: req.MaxSeconds, Replicas: req.Replicas,
		MaxPrice: req.MaxPrice, Unit: req.Unit, District: req.District,
	}
	if err := j.Check(); err != nil {
		return GridRun{}, fmt.Errorf("grid run: %w", err)
	}
	progress := req.Progress
	if progress == nil {
		progress = func(GridProgress) {}
	}
	candidates, seen, err := n.gridCandidates(ctx, j)
	if err != nil {
		return GridRun{}, err
	}
	if len(candidates) == 0 {
		return GridRun{}, fmt.Errorf("grid run: %w: %s (%d offers seen)", ErrNoOffer, describeJob(j), seen)
	}
	enc, err := protocol.EncodeBody(j)
	if err != nil {
		return GridRun{}, err
	}
	pub, err := n.Publish(ctx, protocol.Entry{Kind: grid.KindJob, District: j.District, Time: time.Now().UnixMilli(), Body: enc})
	if err != nil {
		return GridRun{}, fmt.Errorf("grid run: publish the job: %w", err)
	}
	jb := pub.Block
	most := req.MaxProviders
	if most <= 0 {
		most = 2*int(j.Replicas) + 1
	}
	run := GridRun{Job: jb.CID}
	events, unsubscribe := n.Subscribe(256)
	defer unsubscribe()
	type answer struct {
		a      GridAttempt
		output []byte
	}
	answers := make(chan answer)
	sent, pending := 0, 0
	send := func(p peer.ID) {
		sent++
		pending++
		progress(GridProgress{Note: "sent to " + p.String(), Sent: sent})
		go func() {
			start := time.Now()
			rb, out, err := n.sendGridJob(ctx, p, jb, j, req.Module, req.Input)
			a := GridAttempt{Provider: p, Duration: time.Since(start)}
			if err != nil {
				a.Err = err.Error()
			} else {
				a.Result = rb.CID
				a.Output = grid.BytesCID(out)
			}
			answers <- answer{a, out}
		}()
	}
	next := 0
	for ; next < len(candidates) && sent < int(j.Replicas); next++ {
		send(candidates[next])
	}
	outputs := map[cid.Cid][]byte{}
	var results []cid.Cid // the result entries the answers brought
	for pending > 0 {
		var got answer
		select {
		case got = <-answers:
		case <-ctx.Done():
			return run, fmt.Errorf("grid run: %w (%d of %d results)", ctx.Err(), len(run.Attempts), sent)
		}
		pending--
		run.Attempts = append(run.Attempts, got.a)
		if got.a.Err == "" {
			outputs[got.a.Output] = got.output
			results = append(results, got.a.Result)
		}
		st := n.gridCounted(ctx, events, jb.CID, results)
		run.Status = st
		agreeing := 0
		if len(st.Groups) > 0 {
			agreeing = len(st.Groups[0].Providers)
		}
		note := fmt.Sprintf("%d of %d results, %d agreeing", len(run.Attempts), j.Replicas, agreeing)
		if got.a.Err != "" {
			note = fmt.Sprintf("provider %s: %s", got.a.Provider, got.a.Err)
		}
		progress(GridProgress{Note: note, Sent: sent, Results: len(run.Attempts), Agreeing: agreeing})
		if out, ok := outputs[st.Output]; ok && st.State == grid.Verified {
			run.Output = out
			break
		}
		// A job verified by results that came by gossip ahead of their
		// answers is decided; the answers awaited bring its output.
		// Not decided with what came: ask more providers while the
		// answers awaited could not make a majority, within MaxProviders.
		for ; next < len(candidates) && sent < most && pending+agreeing < j.Majority(); next++ {
			send(candidates[next])
		}
	}
	for range pending { // the other sends end too: their results count in the vote
		select {
		case got := <-answers:
			run.Attempts = append(run.Attempts, got.a)
			if got.a.Err == "" {
				results = append(results, got.a.Result)
			}
		case <-ctx.Done():
		}
	}
	run.Status = n.gridCounted(ctx, events, jb.CID, results) // with the answers that came after the vote: the minority
	return run, nil
}

// gridCountWait bounds how long RunGrid waits for its views to count a
// result an answer brought: one whose provider's log has a gap the node
// is syncing for is left out of the vote until it joins.
const gridCountWait = 5 * time.Second

// gridCounted returns the job's status once the views count every result
// in results. A result also travels by gossip: the views may already hold
// it, or its gossip copy may be stored a moment before the views count
// it, in which case storing the stream's copy changed nothing and the
// views catch up on their own. It waits on the node's events, re-reading
// at least every 100 ms (a full subscriber channel drops events), for at
// most gridCountWait.
func (n *Node) gridCounted(ctx context.Context, events <-chan Event, job cid.Cid, results []cid.Cid) grid.Status {
	deadline := time.NewTimer(gridCountWait)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		st, _ := n.gridStatus(job)
		if countsAll(st, results) {
			return st
		}
		select {
		case <-events:
		case <-tick.C:
		case <-deadline.C:
			return st
		case <-ctx.Done():
			return st
		}
	}
}

// countsAll reports whether every result in results is among the job's
// answers in st.
func countsAll(st grid.Status, results []cid.Cid) bool {
	held := make(map[cid.Cid]bool, len(st.Answers))
	for _, a := range st.Answers {
		held[a.CID] = true
	}
	for _, r := range results {
		if !held[r] {
			return false
		}
	}
	return true
}

// describeJob says what an offer must give to take j.
func describeJob(j *grid.Job) string {
	d := "any district"
	if j.District != "" {
		d = "district " + j.District
	}
	return fmt.Sprintf("memory ≥ %d MiB, ≥ %d s, at most %d %s a job, %s", j.MemoryMiB, j.MaxSeconds, j.MaxPrice, j.Unit, d)
}

// gridStatus returns the job's status in the views.
func (n *Node) gridStatus(job cid.Cid) (st grid.Status, ok bool) {
	n.views.work(func(w *views) { st, ok = w.grid.Status(job) })
	return st, ok
}

// gridCandidates lists the providers whose offers fit j, best first (see
// rank: record, price, latency, then networks apart). When the
// node holds fewer than j.Replicas such offers it looks providers up in
// the DHT and syncs with those it did not know, to read their offers.
func (n *Node) gridCandidates(ctx context.Context, j *grid.Job) ([]peer.ID, int, error) {
	fit := func() ([]candidate, int) {
		var offers []grid.Current
		var reps map[peer.ID]grid.Rep
		n.views.work(func(w *views) {
			offers = w.grid.Offers(time.Now().UnixMilli())
			reps = map[peer.ID]grid.Rep{}
			for _, r := range w.grid.Reputations() {
				reps[r.Provider] = r
			}
		})
		ps := n.host.Peerstore()
		var out []candidate
		for _, o := range offers {
			if o.Provider != n.ID() && o.Offer.Fits(j) {
				out = append(out, candidate{offer: o, rep: reps[o.Provider],
					latency: ps.LatencyEWMA(o.Provider), network: networkOf(ps.Addrs(o.Provider))})
			}
		}
		return out, len(offers)
	}
	cs, seen := fit()
	if len(cs) < int(j.Replicas) {
		_, _ = n.DiscoverGrid(ctx, j.District)
		cs, seen = fit()
	}
	return rank(cs, int(j.Replicas)), seen, nil
}

// DiscoverGrid looks up the providers of district (and of any district)
// in the DHT and syncs with each one the node holds no offer of, so that
// their offer entries are held. It returns how many it synced with.
func (n *Node) DiscoverGrid(ctx context.Context, district string) (int, error) {
	if n.dht.Size() == 0 {
		return 0, fmt.Errorf("grid lookup: %w", dht.ErrNoPeers)
	}
	known := map[peer.ID]bool{n.ID(): true}
	n.views.work(func(w *views) {
		for _, o := range w.grid.Offers(time.Now().UnixMilli()) {
			known[o.Provider] = true
		}
	})
	synced := 0
	var first error
	for _, d := range []string{district, ""} {
		found, err := n.FindGridProviders(ctx, d, 20)
		if err != nil {
			first = cmp.Or(first, err)
			continue
		}
		for _, p := range found {
			if known[p.ID] {
				continue
			}
			known[p.ID] = true
			if err := n.host.Connect(ctx, p); err != nil || n.repl == nil {
				continue
			}
			if n.syncOffers(ctx, p.ID) == nil {
				synced++
			}
		}
		if district == "" {
			break
		}
	}
	if synced == 0 && first != nil {
		return 0, first
	}
	return synced, nil
}

// syncOffers syncs with a provider just connected to read its offers. A
// connection starts a sync of its own, so the provider may be busy with
// it: then the session is waited for and tried again, a few times.
func (n *Node) syncOffers(ctx context.Context, p peer.ID) error {
	var err error
	for try := range 5 {
		if _, err = n.repl.Sync(ctx, p); !errors.Is(err, replicate.ErrBusy) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(try+1) * 100 * time.Millisecond):
		}
	}
	return err
}

// ReadGrid runs fn on the node's grid view, under the views' lock: fn
// must not keep the view.
func (n *Node) ReadGrid(fn func(v *grid.View)) {
	n.views.work(func(w *views) { fn(w.grid) })
}

// sendGridJob sends the job to p over GridProtocol and checks its answer:
// a result entry by p for this job, whose output is the bytes sent with
// it. The node stores the result, so its views count it.
func (n *Node) sendGridJob(ctx context.Context, p peer.ID, jb protocol.Block, j *grid.Job, module, input []byte) (protocol.Block, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(j.MaxSeconds)*time.Second+gridReadTimeout)
	defer cancel()
	if n.host.Network().Connectedness(p) != network.Connected && len(n.host.Peerstore().Addrs(p)) == 0 {
		// An offer held by gossip names no address: ask the DHT.
		if ai, err := n.dht.FindPeer(ctx, p); err == nil {
			_ = n.host.Connect(ctx, ai)
		}
	}
	s, err := n.host.NewStream(ctx, p, libp2pprotocol.ID(GridProtocol))
	if err != nil {
		return protocol.Block{}, nil, fmt.Errorf("open a grid stream: %w", err)
	}
	defer s.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = s.SetDeadline(d)
	}
	if err := writeMsg(s, gridRequest{Job: jb.Data, Module: module, Input: input}); err != nil {
		s.Reset()
		return protocol.Block{}, nil, fmt.Errorf("send the job: %w", err)
	}
	_ = s.CloseWrite()
	var reply gridReply
	if err := readMsg(bufio.NewReader(s), MaxGridOutput+protocol.MaxEntrySize+1024, &reply); err != nil {
		if ctx.Err() != nil {
			return protocol.Block{}, nil, fmt.Errorf("timed out after %v", time.Duration(j.MaxSeconds)*time.Second+gridReadTimeout)
		}
		return protocol.Block{}, nil, err
	}
	if reply.Error != "" {
		return protocol.Block{}, nil, fmt.Errorf("refused: %s", reply.Error)
	}
	rb, err := n.checkResult(p, jb, reply)
	if err != nil {
		return protocol.Block{}, nil, err
	}
	return rb, reply.Output, nil
}

// checkResult opens a provider's result entry and checks it answers the
// job with the output sent, then stores it.
func (n *Node) checkResult(p peer.ID, jb protocol.Block, reply gridReply) (protocol.Block, error) {
	rb, err := protocol.Open(reply.Result)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("%w: result entry: %v", ErrGridBadPeer, err)
	}
	var r grid.Result
	switch {
	case rb.Entry.Author != p || rb.Entry.Kind != grid.KindResult:
		return protocol.Block{}, fmt.Errorf("%w: not a result entry of its own", ErrGridBadPeer)
	case protocol.Unmarshal(rb.Entry.Body, &r) != nil || r.Check() != nil:
		return protocol.Block{}, fmt.Errorf("%w: malformed result", ErrGridBadPeer)
	case !r.Job.Cid.Equals(jb.CID):
		return protocol.Block{}, fmt.Errorf("%w: the result answers another job", ErrGridBadPeer)
	case !grid.BytesCID(reply.Output).Equals(r.Output.Cid) || uint64(len(reply.Output)) != r.OutputSize:
		return protocol.Block{}, fmt.Errorf("%w: the output sent is not the output its result names", ErrGridBadPeer)
	}
	if v := n.check(rb); v.Outcome != protocol.Accept {
		return protocol.Block{}, fmt.Errorf("%w: %v", ErrGridBadPeer, v.Reason)
	}
	rs, err := n.Ingest(rb)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("store the result: %w", err)
	}
	if rs[0].Status == vault.Pending {
		n.startSync(p) // the provider holds the entries its log lacks here
	}
	return rb, nil
}
