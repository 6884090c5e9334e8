package node

import (
	"context"
	"fmt"
	"sync"
	"time"

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
	err      error // of the last round
	receipts int   // receipts issued since start
	frauds   int   // fraud entries published since start
}

func newSettler() *settler { return &settler{kick: make(chan struct{}, 1)} }

// poke asks for a round; it never blocks.
func (s *settler) poke() {
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
			if err := n.settleRound(ctx); err != nil && ctx.Err() == nil {
				retry = time.After(retryAfter)
			}
		}
	})
	n.settler.poke() // a restart may find work already due
}

// settleRound publishes the fraud entries and receipts due now.
func (n *Node) settleRound(ctx context.Context) error {
	frauds, dues := n.duties(time.Now().UnixMilli())
	err := n.publishFrauds(ctx, frauds)
	for _, d := range dues {
		if err != nil {
			break
		}
		err = n.pay(ctx, d)
	}
	n.settler.mu.Lock()
	n.settler.err = err
	n.settler.mu.Unlock()
	return err
}

// duties reads what is owed from one consistent view.
func (n *Node) duties(now int64) (frauds []fraudDue, dues []settle.Due) {
	n.views.with(func(s *settle.Set, v *settle.Verification) {
		frauds = fraudsDue(s, n.ID())
		dues = settle.PlanFor(n.ID(), s, v, now)
	})
	return frauds, dues
}

// pay appends and sends one receipt a pledge owes.
func (n *Node) pay(ctx context.Context, d settle.Due) error {
	if err := n.emit(ctx, protocol.KindReceipt, d.District, &d.Receipt); err != nil {
		return fmt.Errorf("settle %s: %w", d.Proof, err)
	}
	n.settler.mu.Lock()
	n.settler.receipts++
	n.settler.mu.Unlock()
	return nil
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
	b, err := n.Publish(ctx, e)
	if err != nil && !b.CID.Defined() {
		return err
	}
	return nil
}

// SettleStats reports what the settler wrote since start and the error of
// its last round, if any.
type SettleStats struct {
	Receipts int
	Frauds   int
	Err      error
}

// Settled returns the settler's counters.
func (n *Node) Settled() SettleStats {
	n.settler.mu.Lock()
	defer n.settler.mu.Unlock()
	return SettleStats{Receipts: n.settler.receipts, Frauds: n.settler.frauds, Err: n.settler.err}
}
