package node

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"

	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/protocol"
)

// GridRunner runs a job's module for a provider node: grid/wasm's Runner
// through an adapter in the daemon, or a test's.
type GridRunner interface {
	RunJob(ctx context.Context, job cid.Cid, j *grid.Job, module, input []byte) (GridOutput, error)
}

// GridOutput is what a run gave: stdout (at most MaxGridOutput bytes), the
// exit code, the time it took, and why it failed ("" when it ran to its
// end: "timeout", "memory", "output cut", ...).
type GridOutput struct {
	Stdout   []byte
	Exit     uint32
	Duration time.Duration
	Err      string
}

// WithGridRunner makes the node a provider that can run jobs with r once
// it offers (OfferGrid): it answers GridProtocol streams.
func WithGridRunner(r GridRunner) Option { return func(o *options) { o.gridRunner = r } }

// gridReadTimeout bounds reading a request; the run has its own cap.
const gridReadTimeout = 30 * time.Second

// gridSlots is how many jobs a provider runs at once: one per core.
func gridSlots() int { return max(1, runtime.GOMAXPROCS(0)) }

// startGrid serves GridProtocol when the node has a runner.
func (n *Node) startGrid(r GridRunner) {
	if r == nil {
		return
	}
	n.gridRunner = r
	n.gridSlots = make(chan struct{}, gridSlots())
	n.host.SetStreamHandler(libp2pprotocol.ID(GridProtocol), n.answerGrid)
	// An offer of this node's that still stands serves again after a
	// restart; the discovery rounds announce it.
	n.views.work(func(w *views) {
		if c, ok := w.grid.Offer(n.ID(), time.Now().UnixMilli()); ok {
			n.grid.mu.Lock()
			n.grid.on, n.grid.districts = true, c.Offer.Districts
			n.grid.mu.Unlock()
		}
	})
}

// answerGrid runs one job a requester sent, if the node offers and the
// job fits its offer, and answers with the result entry it wrote.
func (n *Node) answerGrid(s network.Stream) {
	done := make(chan struct{})
	if !n.spawn(func(ctx context.Context) { defer close(done); n.answerGridOn(ctx, s) }) {
		s.Reset()
		return
	}
	<-done
}

// answerGridOn is answerGrid on one of the node's goroutines, which Close
// waits for: ctx ends with the node, and the run with it.
func (n *Node) answerGridOn(ctx context.Context, s network.Stream) {
	defer s.Close()
	select {
	case n.gridSlots <- struct{}{}:
		defer func() { <-n.gridSlots }()
	default:
		_ = writeMsg(s, gridReply{Error: "busy: every job slot is running; try another provider"})
		return
	}
	_ = s.SetReadDeadline(time.Now().Add(gridReadTimeout))
	var req gridRequest
	if err := readMsg(bufio.NewReader(s), maxGridMessage, &req); err != nil {
		s.Reset()
		return
	}
	_ = s.SetReadDeadline(time.Time{})
	reply := n.serveGrid(ctx, req)
	_ = s.SetWriteDeadline(time.Now().Add(gridReadTimeout))
	_ = writeMsg(s, reply)
}

// serveGrid checks a request against the job it carries and the node's
// offer, runs it and publishes the result entry.
func (n *Node) serveGrid(ctx context.Context, req gridRequest) gridReply {
	jb, j, err := n.openJob(req)
	if err != nil {
		return gridReply{Error: err.Error()}
	}
	var offer grid.Current
	var ok bool
	n.views.work(func(w *views) { offer, ok = w.grid.Offer(n.ID(), time.Now().UnixMilli()) })
	switch {
	case !ok || !n.grid.offering():
		return gridReply{Error: "not offering: this peer runs no jobs now"}
	case !offer.Offer.Fits(j):
		return gridReply{Error: fmt.Sprintf("the job does not fit the offer (memory %d MiB, %d s, %d %s a job, districts %v)",
			offer.Offer.MemoryMiB, offer.Offer.MaxSeconds, offer.Offer.Price, offer.Offer.Unit, offer.Offer.Districts)}
	}
	if _, err := n.Ingest(jb); err != nil {
		return gridReply{Error: "store the job: " + err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(j.MaxSeconds)*time.Second+5*time.Second)
	defer cancel()
	out, err := n.gridRunner.RunJob(ctx, jb.CID, j, req.Module, req.Input)
	if err != nil {
		return gridReply{Error: "run: " + err.Error()}
	}
	if len(out.Stdout) > MaxGridOutput {
		out.Stdout, out.Err = out.Stdout[:MaxGridOutput], "output cut"
	}
	res := &grid.Result{
		Job: protocol.LinkTo(jb.CID), Output: protocol.LinkTo(grid.BytesCID(out.Stdout)), OutputSize: uint64(len(out.Stdout)),
		Exit: out.Exit, DurationMS: uint64(out.Duration.Milliseconds()), Error: out.Err,
	}
	if err := res.Check(); err != nil {
		return gridReply{Error: "result: " + err.Error()}
	}
	enc, err := protocol.EncodeBody(res)
	if err != nil {
		return gridReply{Error: "result: " + err.Error()}
	}
	rb, err := n.Publish(ctx, protocol.Entry{Kind: grid.KindResult, District: jb.Entry.District, Time: time.Now().UnixMilli(), Body: enc})
	if err != nil {
		return gridReply{Error: "publish the result: " + err.Error()}
	}
	return gridReply{Result: rb.Data, Output: out.Stdout}
}

// openJob opens the job entry of a request and checks the module and
// input against the CIDs it links.
func (n *Node) openJob(req gridRequest) (protocol.Block, *grid.Job, error) {
	jb, err := protocol.Open(req.Job)
	if err != nil {
		return protocol.Block{}, nil, fmt.Errorf("job entry: %w", err)
	}
	if jb.Entry.Kind != grid.KindJob {
		return protocol.Block{}, nil, fmt.Errorf("job entry: a %s entry, not a job", jb.Entry.Kind)
	}
	if v := n.check(jb); v.Outcome != protocol.Accept {
		return protocol.Block{}, nil, fmt.Errorf("job entry: %v", v.Reason)
	}
	var j grid.Job
	if err := protocol.Unmarshal(jb.Entry.Body, &j); err != nil {
		return protocol.Block{}, nil, fmt.Errorf("job entry: %w", err)
	}
	if err := j.Check(); err != nil {
		return protocol.Block{}, nil, fmt.Errorf("job entry: %w", err)
	}
	switch {
	case len(req.Module) > MaxGridModule:
		return protocol.Block{}, nil, fmt.Errorf("module of %d bytes, limit %d", len(req.Module), MaxGridModule)
	case len(req.Input) > MaxGridInput:
		return protocol.Block{}, nil, fmt.Errorf("input of %d bytes, limit %d", len(req.Input), MaxGridInput)
	case !grid.BytesCID(req.Module).Equals(j.Module.Cid):
		return protocol.Block{}, nil, errors.New("the module bytes do not hash to the job's module CID")
	case !grid.BytesCID(req.Input).Equals(j.Input.Cid):
		return protocol.Block{}, nil, errors.New("the input bytes do not hash to the job's input CID")
	}
	return jb, &j, nil
}
