package node

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// publishTimeout bounds the gossip part of one settler publication; the
// entry is stored before gossip starts, and sync carries it when gossip
// does not.
const publishTimeout = 10 * time.Second

// retryAfter is how long the settler waits to try again after a failed
// append (a full disk, a vault behind its own log).
const retryAfter = 5 * time.Second

// settler is the one goroutine that writes entries on the node's own
// behalf: the receipts its pledges owe and the fraud entries of the forks
// it holds. Each round plans from the views, which hold every entry the
// node appended before (Publish feeds them before it returns; a restart
// loads them from the vault), so a proof is paid once however many
// rounds, deliveries or restarts come.
type settler struct {
	kick chan struct{} // capacity 1: kicks coalesce

	mu       sync.Mutex
	wanted   bool          // poked since the last round began
	running  bool          // a round is under way
	round    chan struct{} // closed when the running round ends
	err      error         // of the last round
	receipts int           // receipts issued since start
	frauds   int           // fraud entries published since start
	waiting  int           // bounties the last round left for the node's credit to cover
}

func newSettler() *settler {
	return &settler{kick: make(chan struct{}, 1), round: make(chan struct{})}
}

// poke asks for a round; it never blocks.
func (s *settler) poke() {
	s.mu.Lock()
	s.wanted = true
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// startSettler runs the settler loop until Close.
func (n *Node) startSettler() {
	n.spawn(func(ctx context.Context) {
		var retry <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case <-n.settler.kick:
			case <-retry:
			}
			retry = nil
			n.settler.begin()
			err := n.settleRound(ctx)
			n.settler.end()
			if err != nil && ctx.Err() == nil {
				retry = time.After(retryAfter)
			}
		}
	})
	n.settler.poke() // a restart may find work already due
}

func (s *settler) begin() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running, s.wanted = true, false
}

func (s *settler) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running = false
	close(s.round)
	s.round = make(chan struct{})
}

// quiet waits until no round runs and none is asked for, or ctx ends.
func (s *settler) quiet(ctx context.Context) error {
	for {
		s.mu.Lock()
		if !s.running && !s.wanted {
			s.mu.Unlock()
			return nil
		}
		ch := s.round
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// settleRound publishes the fraud entries and receipts due now. What a
// failed round left undone is due again in the next.
func (n *Node) settleRound(ctx context.Context) error {
	frauds, dues, jobs, bounties := n.duties(time.Now().UnixMilli())
	done, err := n.publishFrauds(ctx, frauds)
	paid := 0
	for _, d := range dues {
		if err != nil {
			break
		}
		if err = n.pay(ctx, d); err == nil {
			paid++
		}
	}
	gridPaid := 0
	for _, p := range jobs {
		if err != nil {
			break
		}
		if err = n.payGrid(ctx, p); err == nil {
			gridPaid++
		}
	}
	bountiesPaid, waiting := 0, 0
	for _, p := range bounties {
		if err != nil {
			break
		}
		var paid bool
		if paid, err = n.payBounty(ctx, p); err == nil {
			bountiesPaid++
			if !paid {
				waiting++
			}
		}
	}
	if err != nil {
		n.views.work(func(w *views) {
			w.duty.retry(frauds[done:], len(dues) > paid)
			w.duty.grid = w.duty.grid || len(jobs) > gridPaid
			w.duty.arena = w.duty.arena || len(bounties) > bountiesPaid
		})
	}
	n.settler.mu.Lock()
	n.settler.err = err
	if err == nil && bounties != nil { // a round that did not look at the bounties leaves the count
		n.settler.waiting = waiting
	}
	n.settler.mu.Unlock()
	n.events.emit(SettleDone{n.Settled()})
	return err
}

// duties reads, and clears, what is owed from one consistent view. The
// receipts are planned only when an entry arrived that may make one due:
// over every proof after a pledge or a recomputed verification, else
// over the proofs verified since the last round; the grid's payments
// when a result or a receipt for a job arrived.
func (n *Node) duties(now int64) (frauds []settle.FraudDue, dues []settle.Due, jobs []grid.Payment, bounties []arena.Payment) {
	n.views.work(func(w *views) {
		frauds = w.fraudsDue(n.ID())
		if w.duty.grid {
			jobs = grid.Due(w.grid, n.ID())
			w.duty.grid = false
		}
		if w.duty.arena { // non-nil once looked at, owed or not: see settleRound's waiting
			bounties = append([]arena.Payment{}, arena.Due(w.arena, n.ID(), arena.At{Now: now, Stewards: w.stewards()})...)
			w.duty.arena = false
		}
		if !w.owes() {
			// No pledge of this node is held: no receipt can be due, and
			// neither the view (stale or not) nor a plan is read.
			w.ver.Drop()
			w.duty.plan = false
			return
		}
		if !w.duty.plan && !w.ver.Rising() {
			return
		}
		risen, all := w.ver.Risen()
		if w.duty.plan || all {
			dues = settle.PlanFor(n.ID(), w.ledger.Set(), w.ver.View(), now)
		} else {
			dues = settle.PlanOver(n.ID(), w.ledger.Set(), risen, now)
		}
		w.duty.plan = false
	})
	return frauds, dues, jobs, bounties
}

// duty is what changed for the settler since its last round.
type duty struct {
	due       map[peer.ID]bool // forked authors followed: a fraud entry to write
	judged    map[peer.ID]bool // forked authors judged, followed or not (see views.judge)
	convicted settle.Convicted // accused by a fraud entry held
	pledgers  map[peer.ID]bool // authors of a pledge held: only they may owe receipts
	plan      bool             // plan over every verified proof
	grid      bool             // an entry arrived that may make a grid payment due (see owed)
	arena     bool             // an entry arrived that may make a bounty due (see owed)
	credit    *creditWait      // a bounty waits for credit: income that covers it looks again
}

// creditWait is the smallest bounty share a round left for want of
// credit: what the node's position and limit must reach.
type creditWait struct {
	district, unit string
	amount         int64
}

// dutyOf is the duty of a set seen for the first time, at start: its
// forks were judged by the run that stored them, so only those of
// members are due (a fraud entry a crash kept from being written for
// another followed author is not; its fork still flags it), and receipts
// to plan.
func dutyOf(s *settle.Set, members *settle.Members) duty {
	d := duty{due: map[peer.ID]bool{}, judged: map[peer.ID]bool{}, convicted: settle.Convicted{}, pledgers: map[peer.ID]bool{}, plan: true, grid: true, arena: true}
	for _, a := range s.Forked() {
		d.judged[a] = true
		if members.Member(a) {
			d.due[a] = true
		}
	}
	s.Each(d.note)
	return d
}

// note records r, just inserted. A pledge asks for a plan over every
// proof; proofs newly verified ask the verifier (Rising).
func (d *duty) note(r *settle.Record) {
	d.convicted.Note(r)
	if r.Entry.Kind == protocol.KindPledge {
		d.pledgers[r.Author()] = true
		d.plan = true
	}
}

// owed marks the grid payments or the bounties for the settler's next
// look when r may make one due from this node: its own job or problem,
// an answer naming one (a result, a solution), its own accept, or an
// offer (an answer's price is its provider's offer). Entries that cannot
// make this node owe anything wake no settler round.
func (w *views) owed(r *settle.Record) {
	mine := func(l protocol.Link) bool {
		rec, ok := w.ledger.Set().Named(l.Cid)
		return ok && rec.Author() == w.owner
	}
	own := r.Author() == w.owner
	switch b := r.Body.(type) {
	case *grid.Job:
		w.duty.grid = w.duty.grid || own
	case *grid.Result:
		w.duty.grid = w.duty.grid || mine(b.Job)
	case *grid.Offer:
		w.duty.grid = true
	case *arena.Problem, *arena.Accept:
		w.duty.arena = w.duty.arena || own
	case *arena.Solution:
		w.duty.arena = w.duty.arena || mine(b.Problem)
	case *settle.Receipt:
		if w.duty.credit != nil && b.To() == w.owner {
			w.duty.credit, w.duty.arena = nil, true
		}
	}
}

// pending reports whether the settler has fraud entries to write or a
// full plan to make.
func (d *duty) pending() bool { return d.plan || d.grid || d.arena || len(d.due) > 0 }

// retry puts back what a failed round left: fraud entries not published,
// and the plan if a receipt was not paid.
func (d *duty) retry(frauds []settle.FraudDue, replan bool) {
	for _, f := range frauds {
		d.due[f.Accused] = true
	}
	d.plan = d.plan || replan
}

// pay appends and sends one receipt a pledge owes.
func (n *Node) pay(ctx context.Context, d settle.Due) error {
	var ended bool
	n.views.work(func(w *views) { ended = settle.Ended(w.ledger.Set(), n.ID(), d.Pledge) })
	if ended {
		return nil // withdrawn since the plan: nothing is due
	}
	return n.payOwed(ctx, d.District, &d.Receipt, "proof "+d.Proof.String())
}

// payGrid appends and sends one receipt a grid job owes a provider.
func (n *Node) payGrid(ctx context.Context, p grid.Payment) error {
	return n.payOwed(ctx, p.District, p.Receipt(), fmt.Sprintf("result %s of job %s", p.Result, p.Job))
}

// payBounty appends and sends one receipt an accepted problem owes a
// solver, if the node's credit covers it: its covered position in the
// unit plus its credit limit in the problem's district reach the amount.
// Otherwise it pays nothing now (paid false) and the next receipt paying
// the node looks again: a bounty is never paid with credit the poster
// does not have.
func (n *Node) payBounty(ctx context.Context, p arena.Payment) (paid bool, err error) {
	var pos, limit int64
	n.views.work(func(w *views) {
		pos, limit = w.ledger.Position(n.ID(), p.Unit), w.ledger.CreditLimit(p.District, p.Unit)
		if short := pos+limit < int64(p.Amount); short && (w.duty.credit == nil || int64(p.Amount) < w.duty.credit.amount) {
			w.duty.credit = &creditWait{p.District, p.Unit, int64(p.Amount)}
		}
	})
	if pos+limit < int64(p.Amount) {
		n.log.Info("bounty waits for credit", "problem", p.Problem.String(), "solution", p.Solution.String(),
			"amount", p.Amount, "unit", p.Unit, "position", pos, "limit", limit,
			"remedy", "it is paid once income covers it")
		return false, nil
	}
	return true, n.payOwed(ctx, p.District, p.Receipt(), fmt.Sprintf("solution %s of problem %s", p.Solution, p.Problem))
}

// payOwed appends and sends a receipt the views say is owed for what,
// and counts it.
func (n *Node) payOwed(ctx context.Context, district string, rc *settle.Receipt, what string) error {
	if err := n.emit(ctx, protocol.KindReceipt, district, rc); err != nil {
		return fmt.Errorf("pay %s: %w", what, err)
	}
	n.settler.mu.Lock()
	n.settler.receipts++
	n.settler.mu.Unlock()
	return nil
}

// stewards returns the stewards of each district as the rosters of the
// views' set say, computed on first use (an accept by a steward, past a
// problem's deadline, is the only reader).
func (w *views) stewards() func(string) map[peer.ID]bool {
	var rosters map[string]*settle.Roster
	return func(d string) map[peer.ID]bool {
		if rosters == nil {
			s := w.ledger.Set()
			var recs []*settle.Record
			s.Each(func(r *settle.Record) {
				if r.Entry.Kind == settle.KindDistrict || r.Entry.Kind == settle.KindRole {
					recs = append(recs, r)
				}
			})
			flags := settle.Flags{}
			for _, f := range w.ledger.Flags() {
				flags[f] = true
			}
			rosters = settle.RostersUnder(s, flags, w.pins, w.rules) // resolves pins to kept blocks
		}
		if r, ok := rosters[d]; ok {
			return r.Stewards
		}
		return nil
	}
}

// emit publishes a body of kind in district as this node. A block that
// was stored but not gossiped counts as written: sync carries it.
func (n *Node) emit(ctx context.Context, kind, district string, body protocol.Body) error {
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	e := protocol.Entry{Kind: kind, District: district, Time: time.Now().UnixMilli(), Body: enc}
	_, err = n.Publish(ctx, e)
	return err
}

// SettleStats reports what the settler wrote since start and the error of
// its last round, if any.
type SettleStats struct {
	Receipts int
	Frauds   int
	Waiting  int // bounties owed that the node's credit does not cover yet
	Err      error
}

// Settled returns the settler's counters.
func (n *Node) Settled() SettleStats {
	n.settler.mu.Lock()
	defer n.settler.mu.Unlock()
	return SettleStats{Receipts: n.settler.receipts, Frauds: n.settler.frauds, Waiting: n.settler.waiting, Err: n.settler.err}
}
