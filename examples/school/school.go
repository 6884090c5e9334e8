package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/node"
)

// maxCSV bounds the assessments file.
const maxCSV = 4 << 20

// runSchool publishes the term's proofs and returns once all are
// verified, telling verified of each.
func runSchool(ctx context.Context, o options, ready func(string, []string), verified func(string)) error {
	data, err := os.ReadFile(o.csv)
	if err != nil {
		return err
	}
	groups, err := groupsOf(data, o.scoreMax)
	if err != nil {
		return fmt.Errorf("%s: %w", o.csv, err)
	}
	p, v, err := start(ctx, o)
	if err != nil {
		return err
	}
	defer v.Close()
	defer p.Close()
	ready(p.ID().String(), p.Addrs())
	if err := found(ctx, p, o); err != nil {
		return err
	}
	ev, err := p.AddEvidence(ctx, data, "assessments.csv")
	if err != nil {
		return err
	}
	var proofs []string
	for _, g := range groups {
		claim, err := json.Marshal(g.claim(o.scoreMax, o.periodDays))
		if err != nil {
			return err
		}
		pub, err := p.Publish(ctx, api.PublishRequest{MIP: "MIP-EDU@1", Claim: claim, Evidence: []string{ev.ID}, District: o.district})
		if err != nil {
			return fmt.Errorf("%s: %w", g.subject, err)
		}
		proofs = append(proofs, pub.CID)
	}
	return awaitVerified(ctx, p, proofs, verified)
}

// found writes the district's genesis naming o.verifiers, unless the
// vault holds one already.
func found(ctx context.Context, p *embed.Peer, o options) error {
	if len(o.verifiers) == 0 {
		return nil
	}
	if d, err := p.District(ctx, o.district); err == nil && d.Genesis != nil {
		return nil
	}
	_, err := p.CreateDistrict(ctx, api.DistrictRequest{Name: o.district, Stewards: []string{p.ID().String()}, Verifiers: o.verifiers})
	return err
}

// awaitVerified waits until each proof is verified, telling verified.
func awaitVerified(ctx context.Context, p *embed.Peer, proofs []string, verified func(string)) error {
	return p.Await(ctx, func(*node.Views) bool {
		proofs = slices.DeleteFunc(proofs, func(c string) bool {
			st, err := p.ProofStatus(ctx, c)
			if err == nil && st.Verified {
				verified(c)
				return true
			}
			return false
		})
		return len(proofs) == 0
	})
}

// group is one subject's assessments, summed.
type group struct {
	subject           string
	learners          int
	baseline, outcome int // sums of scores
}

// groupsOf reads learner,subject,baseline,outcome rows after a header,
// one group per subject in the order they first appear.
func groupsOf(data []byte, scoreMax int) ([]*group, error) {
	if len(data) > maxCSV {
		return nil, fmt.Errorf("larger than %d bytes", maxCSV)
	}
	if scoreMax < 1 || scoreMax > 1000 {
		return nil, fmt.Errorf("score scale %d: want 1 to 1000", scoreMax)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 4
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var out []*group
	by := map[string]*group{}
	for i, row := range rows[min(1, len(rows)):] {
		b, err1 := score(row[2], scoreMax)
		o, err2 := score(row[3], scoreMax)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("row %d: %w", i+2, err)
		}
		g := by[row[1]]
		if g == nil {
			g = &group{subject: row[1]}
			by[row[1]] = g
			out = append(out, g)
		}
		g.learners++
		g.baseline += b
		g.outcome += o
	}
	if len(out) == 0 {
		return nil, errors.New("no assessments after the header")
	}
	return out, nil
}

func score(s string, scoreMax int) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v > scoreMax {
		return 0, fmt.Errorf("score %q: want 0 to %d", s, scoreMax)
	}
	return v, nil
}

// claim is the group's MIP-EDU@1 claim.
func (g *group) claim(scoreMax, periodDays int) map[string]any {
	return map[string]any{
		"learners": g.learners, "grade_min": 3, "grade_max": 3, "subject": g.subject,
		"assessment": "teacher_assessment", "score_max": scoreMax,
		"baseline_mean_x10": g.baseline * 10 / g.learners, "outcome_mean_x10": g.outcome * 10 / g.learners,
		"period_days": periodDays,
	}
}
