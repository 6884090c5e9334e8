package api

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// PledgeRow is one row of `mycel pledges`: a pledge, what its author's
// receipts linking it paid, and what is left of its cap.
type PledgeRow struct {
	CID       string    `json:"cid"`
	Author    string    `json:"author"`
	Seq       uint64    `json:"seq"`
	MIP       string    `json:"mip"`
	District  string    `json:"district"`
	Amount    uint64    `json:"amount"`
	Unit      string    `json:"unit"`
	Cap       uint64    `json:"cap"`
	Where     []string  `json:"where"`
	Expires   time.Time `json:"expires,omitzero"` // absent: never
	Paid      uint64    `json:"paid"`
	Receipts  int       `json:"receipts"`
	Left      uint64    `json:"left"`  // cap - paid; 0 once withdrawn, expired or spent
	State     string    `json:"state"` // open | spent | expired | withdrawn
	Withdrawn bool      `json:"withdrawn"`
}

// Pledge states.
const (
	PledgeOpen      = "open"
	PledgeSpent     = "spent"
	PledgeExpired   = "expired"
	PledgeWithdrawn = "withdrawn"
)

// PledgeQuery selects pledges: this peer's own, or with All everyone's
// held.
type PledgeQuery struct {
	All bool `json:"all"`
}

// Pledges lists the pledges held, by author and seq (see settle.Pledges).
func (l *Local) Pledges(_ context.Context, q PledgeQuery) ([]PledgeRow, error) {
	var author peer.ID
	if !q.All {
		author = l.Vault.ID()
	}
	recs, err := l.held(author, protocol.KindPledge, settle.KindWithdraw, protocol.KindReceipt)
	if err != nil {
		return nil, err
	}
	s := settle.NewSet()
	for _, r := range recs {
		s.Insert(r)
	}
	now := l.now().UnixMilli()
	out := []PledgeRow{}
	for _, p := range settle.Pledges(s) {
		row := PledgeRow{
			CID: p.CID.String(), Author: p.Author.String(), Seq: p.Seq,
			MIP: p.Pledge.MIP, District: p.Pledge.District, Amount: p.Pledge.Amount, Unit: p.Pledge.Unit,
			Cap: p.Pledge.Cap, Where: []string{}, Paid: p.Paid, Receipts: p.Receipts, Left: p.Left,
			Withdrawn: p.Withdrawn, State: PledgeOpen,
		}
		for _, c := range p.Pledge.Where {
			row.Where = append(row.Where, condText(c))
		}
		if p.Pledge.Expires != 0 {
			row.Expires = entryTime(p.Pledge.Expires)
		}
		switch {
		case p.Withdrawn:
			row.State = PledgeWithdrawn
		case !p.Pledge.Live(now):
			row.State, row.Left = PledgeExpired, 0
		case p.Left < p.Pledge.Amount:
			row.State = PledgeSpent
		}
		out = append(out, row)
	}
	return out, nil
}

// condText writes a condition back as FIELD OP VALUE.
func condText(c settle.Cond) string {
	return c.Field + c.Op + fmt.Sprint(c.Value)
}

// WithdrawRequest is the body of POST /v1/withdraws.
type WithdrawRequest struct {
	Pledge string `json:"pledge"` // CID of one of this peer's pledges
	Reason string `json:"reason"`
}

// Withdraw appends a withdraw entry ending one of this peer's pledges. It
// refuses a pledge that is not held, not this peer's, or already
// withdrawn.
func (l *Local) Withdraw(ctx context.Context, req WithdrawRequest) (Written, error) {
	c, err := ParseCID(req.Pledge)
	if err != nil {
		return Written{}, err
	}
	b, err := l.Vault.Get(c)
	switch {
	case errors.Is(err, vault.ErrNotFound):
		return Written{}, notFound("no pledge %s in the vault: list them with mycel pledges --all", c)
	case err != nil:
		return Written{}, fmt.Errorf("get %s: %w", c, err)
	case b.Entry.Kind != protocol.KindPledge:
		return Written{}, notFound("%s is a %s entry, not a pledge: list your pledges with mycel pledges", c, b.Entry.Kind)
	}
	if b.Entry.Author != l.Vault.ID() {
		return Written{}, badInput("pledge %s is by %s: only a pledge's author can withdraw it", c, b.Entry.Author)
	}
	rows, err := l.Pledges(ctx, PledgeQuery{})
	if err != nil {
		return Written{}, err
	}
	for _, r := range rows {
		if r.CID == c.String() && r.Withdrawn {
			return Written{}, badInput("pledge %s is already withdrawn", c)
		}
	}
	return l.write(ctx, settle.KindWithdraw, b.Entry.District, &settle.Withdraw{Pledge: protocol.LinkTo(c), Reason: req.Reason})
}
