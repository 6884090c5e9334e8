package main

import (
	"context"
	"encoding/json"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/node"
)

// runVerifier attests each MIP-EDU proof of the district it receives,
// telling attested of each, until ctx ends. A proof it may not attest yet
// (the genesis naming it a verifier has not arrived) is tried again as
// entries arrive.
func runVerifier(ctx context.Context, o options, ready func(string, []string), attested func(cid, verdict string)) error {
	p, v, err := start(ctx, o)
	if err != nil {
		return err
	}
	defer v.Close()
	defer p.Close()
	ready(p.ID().String(), p.Addrs())
	done := map[string]bool{}
	return p.Await(ctx, func(*node.Views) bool {
		attestNew(ctx, p, o.district, done, attested)
		return false // until ctx ends
	})
}

// attestNew attests the district's MIP-EDU proofs not in done.
func attestNew(ctx context.Context, p *embed.Peer, district string, done map[string]bool, attested func(cid, verdict string)) {
	q := api.ProofQuery{MIP: "MIP-EDU@1", District: district}
	for {
		page, err := p.Proofs(ctx, q)
		if err != nil {
			return
		}
		for _, pr := range page.Proofs {
			if done[pr.CID] || pr.Author == p.ID().String() {
				continue
			}
			verdict, note := judge(pr.Claim)
			// Refused until the genesis naming this peer arrives: tried
			// again on the next entry.
			_, err := p.Attest(ctx, api.AttestRequest{Proof: pr.CID, Verdict: verdict, Note: note})
			if err == nil {
				done[pr.CID] = true
				attested(pr.CID, verdict)
			}
		}
		if page.Next == "" {
			return
		}
		q.After = page.Next
	}
}

// judge checks what a term's assessment can say: at least one learner,
// means within the scale. The MIP's schema has checked the types.
func judge(claim map[string]any) (verdict, note string) {
	n := func(k string) float64 { return number(claim[k]) }
	top := n("score_max") * 10
	switch {
	case n("learners") < 1:
		return "invalid", "no learners"
	case n("baseline_mean_x10") > top || n("outcome_mean_x10") > top:
		return "invalid", "a mean above the scale"
	}
	return "valid", "means within the scale, learners assessed"
}

// number is a claim's number as a float, whichever way it was decoded;
// 0 for anything else.
func number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case int:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return 0
}
