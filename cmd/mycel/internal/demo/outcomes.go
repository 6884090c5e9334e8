package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// evidence is a file a participant adds to its own vault.
type evidence struct {
	label   string
	content string
}

// proofSpec is one outcome a participant proves.
type proofSpec struct {
	by       *peer
	mip      string
	claim    map[string]any
	what     string
	evidence []evidence
}

func (d *district) proofSpecs() []proofSpec {
	return []proofSpec{
		{d.clinic, "MIP-HLT@1", map[string]any{
			"cohort_size": int64(240), "measure": "hba1c", "unit": "mmol_mol",
			"baseline_x10": int64(685), "outcome_x10": int64(583), "period_days": int64(180),
			"method": "pre_post_cohort", "assay": "point_of_care", "followed_up": int64(211),
			"condition_icd10": "E11", "population": "adults",
		}, "240 diabetic patients, mean HbA1c 68.5 -> 58.3 mmol/mol over 180 days", []evidence{
			{"hba1c-baseline.csv", "patient,hba1c\np-001,71\np-002,66\n"},
			{"hba1c-followup.csv", "patient,hba1c\np-001,59\np-002,57\n"},
			{"consent-register.txt", "240 signed consent forms, ward book 3\n"},
		}},
		{d.farm, "MIP-AGR@1", nil, "maize yield on the co-op's plots", []evidence{
			{"weighbridge-tickets.csv", "ticket,kg\nT-1101,5120\nT-1102,4980\n"},
			{"plot-map.geojson", `{"type":"FeatureCollection","features":[]}`},
		}},
		{d.school, "MIP-EDU@1", nil, "reading outcomes of the primary grades", []evidence{
			{"reading-assessment.csv", "pupil,score_before,score_after\ns-01,31,55\n"},
		}},
	}
}

// publishProofs has the clinic, the farm and the school add evidence to
// their own vaults and publish proofs that commit to it.
func (d *district) publishProofs(ctx context.Context) error {
	reg := mip.Builtins()
	for _, s := range d.proofSpecs() {
		claim := s.claim
		if claim == nil {
			m, ok := reg.Lookup(s.mip)
			if !ok {
				return fmt.Errorf("no built-in %s", s.mip)
			}
			claim = m.Examples[0]
		}
		b, err := d.proveOne(ctx, s, claim)
		if err != nil {
			return err
		}
		d.proofs = append(d.proofs, published{by: s.by, block: b, what: s.what})
		if err := d.spread(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

func (d *district) proveOne(ctx context.Context, s proofSpec, claim map[string]any) (protocol.Block, error) {
	var leaves [][32]byte
	for _, e := range s.evidence {
		ev, err := s.by.vault.AddEvidence([]byte(e.content), e.label)
		if err != nil {
			return protocol.Block{}, err
		}
		leaves = append(leaves, ev.Leaf)
	}
	d.say.say("%s adds %d evidence file(s) to its own vault: salted and hashed, never sent", s.by.name, len(leaves))
	root := protocol.Root(leaves)
	now := time.Now()
	body, err := protocol.EncodeBody(&protocol.Proof{
		MIP: s.mip, Claim: claim,
		Evidence: protocol.Commitment{Root: root[:], Count: uint64(len(leaves))},
		Period:   protocol.Period{Start: now.AddDate(0, -6, 0).UnixMilli(), End: now.UnixMilli()},
	})
	if err != nil {
		return protocol.Block{}, err
	}
	b, err := d.publish(ctx, s.by, protocol.KindProof, body)
	if err != nil {
		return protocol.Block{}, err
	}
	d.say.say("%s publishes %s proof %s: %s", s.by.name, s.mip, short(b.CID.String()), s.what)
	return b, nil
}

// pledge has the funder promise a payment per verified proof.
func (d *district) pledge(ctx context.Context) error {
	pledges := []settle.Pledge{
		{MIP: "MIP-HLT@1", District: District, Amount: 5000, Unit: Unit, Cap: 20000,
			Where: []settle.Cond{{Field: "cohort_size", Op: ">=", Value: int64(100)}}},
		{MIP: "MIP-AGR@1", District: District, Amount: 3000, Unit: Unit, Cap: 9000},
		{MIP: "MIP-EDU@1", District: District, Amount: 2000, Unit: Unit, Cap: 10000},
	}
	for _, p := range pledges {
		body, err := protocol.EncodeBody(&p)
		if err != nil {
			return err
		}
		b, err := d.publish(ctx, d.funder, protocol.KindPledge, body)
		if err != nil {
			return err
		}
		d.say.say("funder pledges %d %s per verified %s proof, up to %d", p.Amount, p.Unit, p.MIP, p.Cap)
		if err := d.spread(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

// verdicts the two verifiers give, per proof in publication order.
type verdict struct{ verdict, note string }

var verdicts = []struct{ asha, bruno verdict }{
	{
		verdict{protocol.Valid, "lab extracts match the clinic's register, checked on site"},
		verdict{protocol.Valid, "sampled 20 patient files; HbA1c values agree"},
	},
	{
		verdict{protocol.Valid, "weighbridge tickets match the declared yield"},
		verdict{protocol.Valid, "plot areas agree with the cadastral map"},
	},
	{
		verdict{protocol.Valid, "assessment scores agree with the marked papers"},
		verdict{protocol.Invalid, "term-2 reading register incomplete: 14 pupils unassessed"},
	},
}

// attest has both verifiers attest every proof.
func (d *district) attest(ctx context.Context) error {
	for i, pr := range d.proofs {
		v := verdicts[i]
		for _, a := range []struct {
			who *peer
			verdict
		}{{d.asha, v.asha}, {d.bruno, v.bruno}} {
			body, err := protocol.EncodeBody(&protocol.Attest{
				Proof: protocol.LinkTo(pr.block.CID), Verdict: a.verdict.verdict, Note: a.note,
			})
			if err != nil {
				return err
			}
			b, err := d.publish(ctx, a.who, protocol.KindAttest, body)
			if err != nil {
				return err
			}
			d.say.say("%s attests %s's proof %s: %s", a.who.name, pr.by.name, a.verdict.verdict, a.note)
			if err := d.spread(ctx, b); err != nil {
				return err
			}
		}
	}
	return nil
}
