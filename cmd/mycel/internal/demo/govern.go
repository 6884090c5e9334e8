package demo

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// socMIP is a MIP anyone may publish: soil organic carbon measured
// before and after a practice.
var socMIP = mip.MIP{
	ID: "MIP-SOC", Version: 1, Title: "Soil organic carbon after a farming practice",
	Policy: mip.Policy{Attestations: 1},
	Schema: []byte(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "MIP-SOC@1 claim",
  "type": "object",
  "additionalProperties": false,
  "required": ["plots", "baseline_soc_bp", "outcome_soc_bp", "year"],
  "properties": {
    "plots": {"type": "integer", "minimum": 1, "maximum": 100000, "description": "Plots sampled."},
    "baseline_soc_bp": {"type": "integer", "minimum": 0, "maximum": 10000, "description": "Soil organic carbon in the top 30 cm before the practice, in basis points of soil mass."},
    "outcome_soc_bp": {"type": "integer", "minimum": 0, "maximum": 10000, "description": "The same, this year."},
    "year": {"type": "integer", "minimum": 1990, "maximum": 2200, "description": "Year of the second sampling."}
  }
}`),
	Examples: []map[string]any{{"plots": int64(12), "baseline_soc_bp": int64(140), "outcome_soc_bp": int64(171), "year": int64(2026)}},
}

// ratify: the farm publishes a MIP of its own and a proof under it; the
// MIP does not count in the district until its steward ratifies it by
// vote, and then the proof, already attested, verifies on every peer.
func (d *district) ratify(ctx context.Context) error {
	doc := mip.DocOf(socMIP)
	m, err := d.post(ctx, d.farm, protocol.KindMIP, &doc)
	if err != nil {
		return err
	}
	d.say.say("farm publishes %s (%s): anyone may publish a MIP", socMIP.Ref(), socMIP.Title)
	if err := d.spread(ctx, m); err != nil {
		return err
	}
	root := sha256.Sum256([]byte("soil samples, 12 plots"))
	proof, err := d.post(ctx, d.farm, protocol.KindProof, &protocol.Proof{
		MIP: socMIP.Ref(), Claim: socMIP.Examples[0],
		Evidence: protocol.Commitment{Root: root[:], Count: 1},
		Period:   protocol.Period{Start: 1767225600000, End: 1798761600000},
	})
	if err != nil {
		return err
	}
	att, err := d.post(ctx, d.asha, protocol.KindAttest, &protocol.Attest{Proof: protocol.LinkTo(proof.CID), Verdict: protocol.Valid, Note: "lab results of the 12 plots agree"})
	if err != nil {
		return err
	}
	if err := d.spread(ctx, att); err != nil {
		return err
	}
	st := d.statusOn(d.clinic, proof.CID)
	d.say.say("farm's %s proof %s, attested by asha: %d of %d valid attestations -> %s", socMIP.Ref(), short(proof.CID.String()), st.Valid, st.K, outcome(st))
	d.say.detail("the district has not ratified %s: a MIP published as an entry counts only where its stewards activate it", socMIP.Ref())
	prop, err := d.post(ctx, d.school, govern.KindProposal, &govern.Proposal{Change: govern.Activate, MIP: socMIP.Ref(), Note: "the co-op's soil programme"})
	if err != nil {
		return err
	}
	d.say.say("school, the district's steward, proposes to activate %s (%s)", socMIP.Ref(), short(prop.CID.String()))
	vote, err := d.post(ctx, d.school, govern.KindVote, &govern.Vote{Proposal: protocol.LinkTo(prop.CID), Yes: true})
	if err != nil {
		return err
	}
	if err := d.spread(ctx, vote); err != nil {
		return err
	}
	var ps govern.Status
	if err := d.clinic.waitUntil(ctx, func() bool {
		d.clinic.node.ReadGovernance(func(v *govern.View) { ps, _ = v.Status(prop.CID) })
		return ps.Ratified
	}); err != nil {
		return fmt.Errorf("the proposal is not ratified (%s): %w", ps.Why, err)
	}
	d.say.say("school votes yes: %d of %d steward(s), threshold %d -> RATIFIED", len(ps.Yes), ps.Stewards, ps.Threshold)
	for _, p := range d.online {
		if err := p.waitUntil(ctx, func() bool { return d.statusOn(p, proof.CID).Verified }); err != nil {
			return fmt.Errorf("%s: the proof under the ratified MIP is not verified: %w", p.name, err)
		}
	}
	st = d.statusOn(d.clinic, proof.CID)
	d.say.say("on every peer, %s proof %s: %d of %d valid attestations -> %s", socMIP.Ref(), short(proof.CID.String()), st.Valid, st.K, outcome(st))
	return nil
}

// statusOn is a proof's status in p's node's views.
func (d *district) statusOn(p *peer, proof cid.Cid) settle.Status {
	st, _ := p.node.Views().Status(proof)
	return st
}

func outcome(st settle.Status) string {
	if st.Verified {
		return "VERIFIED"
	}
	return "not verified"
}
