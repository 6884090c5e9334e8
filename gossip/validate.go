package gossip

import (
	"context"
	"errors"
	"fmt"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// validator returns the typed validator of a district's topic.
//
// Five things may happen to a message from a peer:
//   - its bytes do not open (encoding, size, signature) or it belongs to
//     another district or fails the kernel check: Reject, the sender is
//     penalised;
//   - the check cannot judge it (unknown MIP) or storing fails: Ignore;
//   - it is already stored: Ignore;
//   - it is stored past a gap in its author's log (Pending): Ignore with
//     ErrGap, reported through OnReject with the sender, which holds what
//     the gap lacks; the node syncs with it, and the entry joins its log
//     when the gap fills;
//   - it is new, or a second entry at a held seq (a fork, which must
//     spread): Accept, after it is stored.
func (g *Gossip) validator(district string) pubsub.ValidatorEx {
	return func(_ context.Context, from peer.ID, m *pubsub.Message) pubsub.ValidationResult {
		// Only local publications carry validator data when validated.
		if b, ok := m.ValidatorData.(protocol.Block); ok {
			if b.CID == protocol.Sum(m.Data) {
				return pubsub.ValidationAccept
			}
			return pubsub.ValidationReject
		}
		d, v := g.judgeFrom(district, from, m.Data)
		d.From = from
		if v.Outcome != protocol.Accept {
			g.report(from, district, v)
			return result(v.Outcome)
		}
		m.ValidatorData = d
		return pubsub.ValidationAccept
	}
}

// judge opens, checks and stores one message's bytes.
func (g *Gossip) judge(district string, data []byte) (Delivery, protocol.Verdict) {
	return g.judgeFrom(district, "", data)
}

// judgeFrom is judge for a message forwarded by from.
func (g *Gossip) judgeFrom(district string, from peer.ID, data []byte) (Delivery, protocol.Verdict) {
	b, err := protocol.Open(data)
	if err != nil {
		return Delivery{}, protocol.Rejected(err)
	}
	if b.Entry.District != district {
		return Delivery{}, protocol.Rejected(fmt.Errorf("%w: %q on %s", ErrWrongDistrict, b.Entry.District, Topic(district)))
	}
	if g.cfg.Check != nil {
		if v := g.cfg.Check(b); v.Outcome != protocol.Accept {
			return Delivery{}, v
		}
	}
	d := Delivery{Block: b, Result: storage.Result{CID: b.CID, Status: storage.New}}
	store := g.cfg.Store
	if g.cfg.StoreFrom != nil {
		store = func(b protocol.Block) (storage.Result, error) { return g.cfg.StoreFrom(from, b) }
	}
	if store == nil {
		return d, protocol.Accepted
	}
	if d.Result, err = store(b); err != nil {
		return d, protocol.Ignored(fmt.Errorf("store %s: %w", b.CID, err))
	}
	switch d.Result.Status {
	case storage.Known:
		return d, protocol.Ignored(nil)
	case storage.Another: // kept as a name of the entry; not forwarded
		return d, protocol.Ignored(nil)
	case storage.Pending:
		return d, protocol.Ignored(fmt.Errorf("%w: seq %d of %s", ErrGap, b.Entry.Seq, b.Entry.Author))
	case storage.Refused: // over a quota: not stored
		return d, refused(b, d.Result.Reason)
	}
	return d, protocol.Accepted // New or Equivocation
}

// report tells OnReject about a turned-down message; silent ignores (held
// entries) have no reason and are not reported.
func (g *Gossip) report(from peer.ID, district string, v protocol.Verdict) {
	if g.cfg.OnReject == nil || v.Reason == nil {
		return
	}
	g.cfg.OnReject(Rejection{From: from, District: district, Verdict: v})
}

func result(o protocol.Outcome) pubsub.ValidationResult {
	switch o {
	case protocol.Accept:
		return pubsub.ValidationAccept
	case protocol.Reject:
		return pubsub.ValidationReject
	default:
		return pubsub.ValidationIgnore
	}
}

// refused is the verdict on a block the store refused: Ignore, as a gap
// when the vault refused it past a gap (the sender holds what it lacks).
func refused(b protocol.Block, reason error) protocol.Verdict {
	err := fmt.Errorf("seq %d of %s: %w", b.Entry.Seq, b.Entry.Author, reason)
	for _, gap := range []error{storage.ErrAhead, storage.ErrSlotFull, storage.ErrAuthorQuota, storage.ErrPendingFull} {
		if errors.Is(reason, gap) {
			return protocol.Ignored(fmt.Errorf("%w: %w", ErrGap, err))
		}
	}
	return protocol.Ignored(err)
}
