package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// arenaBounty: the farm posts a problem with a bounty, the school solves
// it, the farm accepts the solution and the farm's node pays the bounty
// by itself.
func (d *district) arenaBounty(ctx context.Context) error {
	const bounty = 50
	problem, err := d.post(ctx, d.farm, arena.KindProblem, &arena.Problem{Domain: "MIP-AGR", Title: "a drip line that survives the dry season",
		Criteria: "runs 90 days unattended", Bounty: bounty, Unit: Unit})
	if err != nil {
		return err
	}
	d.say.say("farm posts a problem to the arena with a bounty of %d %s: %s", bounty, Unit, short(problem.CID.String()))
	if err := d.spread(ctx, problem); err != nil {
		return err
	}
	solution, err := d.post(ctx, d.school, arena.KindSolution, &arena.Solution{Problem: protocol.LinkTo(problem.CID),
		Summary: "pupils' design: buried line, gravity tank, one filter", Artifacts: []protocol.Link{}, Proofs: []protocol.Link{}})
	if err != nil {
		return err
	}
	d.say.say("school posts a solution %s", short(solution.CID.String()))
	if err := d.spread(ctx, solution); err != nil {
		return err
	}
	accept, err := d.post(ctx, d.farm, arena.KindAccept, &arena.Accept{Problem: protocol.LinkTo(problem.CID),
		Shares: []arena.Share{{Solution: protocol.LinkTo(solution.CID), Share: bounty}}})
	if err != nil {
		return err
	}
	d.say.say("farm accepts it (%s); the farm's node pays the bounty by itself…", short(accept.CID.String()))
	if err := d.spread(ctx, accept); err != nil {
		return err
	}
	for {
		var paid []protocol.ID
		for _, l := range d.linesOf(d.farm) {
			for _, f := range l.For {
				if f.Equals(problem.CID) {
					paid = append(paid, l.ID)
					d.say.say("receipt %s: farm pays school %d %s for the problem and its solution", short(l.CID.String()), l.Amount, l.Unit)
					if err := d.spread(ctx, protocol.Block{CID: l.CID}); err != nil {
						return err
					}
				}
			}
		}
		if len(paid) > 0 {
			return nil
		}
		select {
		case <-d.farm.events:
		case <-ctx.Done():
			return fmt.Errorf("the bounty was not paid: %w", ctx.Err())
		}
	}
}

// post publishes body as p's next entry.
func (d *district) post(ctx context.Context, p *peer, kind string, body protocol.Body) (protocol.Block, error) {
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		return protocol.Block{}, err
	}
	b, err := p.node.Publish(ctx, protocol.Entry{Kind: kind, District: District, Body: enc, Time: time.Now().UnixMilli()})
	if err != nil {
		return protocol.Block{}, fmt.Errorf("%s publishes %s: %w", p.name, kind, err)
	}
	return b.Block, nil
}

// linesOf lists p's receipts as its node's views hold them.
func (d *district) linesOf(p *peer) []settle.Line {
	var out []settle.Line
	for _, l := range p.node.Views().Lines() {
		if l.Payer == p.node.ID() {
			out = append(out, l)
		}
	}
	return out
}
