package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

// maxClaimFile bounds a claim file; an entry is at most 64 KiB anyway.
const maxClaimFile = 64 << 10

func (a *app) proofCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "proof",
		Short: "Publish proofs and show their verification status",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(a.publishCmd(), a.proofStatusCmd())
	return cmd
}

type publishFlags struct {
	mip, claim, district, start, end string
	evidence                         []string
	noEvidence, anyway               bool
}

func (a *app) publishCmd() *cobra.Command {
	var f publishFlags
	cmd := &cobra.Command{
		Use:   "publish --mip MIP-HLT@1 --claim FILE --evidence ID... | --no-evidence",
		Short: "Publish a proof: a claim under a MIP, committed to evidence; prints its CID",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := a.publishRequest(f, cmd.Flags().Changed("district"))
			if err != nil {
				return err
			}
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			pub, err := svc.Publish(cmd.Context(), req)
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, pub)
			}
			fmt.Fprintln(a.stdout, pub.CID)
			if !pub.Sent {
				fmt.Fprintln(a.stderr, "mycel: stored in the vault; it travels when the daemon runs")
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.mip, "mip", "", "MIP and version of the claim, e.g. MIP-HLT@1 (required)")
	fl.StringVar(&f.claim, "claim", "", "JSON file holding the claim, - for stdin (required)")
	fl.StringArrayVar(&f.evidence, "evidence", nil, "evidence id to commit to (repeat for several; order is kept)")
	fl.StringVar(&f.district, "district", "", "district to publish into (default: the config's district)")
	fl.StringVar(&f.start, "period-start", "", "start of the outcome period, RFC 3339 (default: the end)")
	fl.StringVar(&f.end, "period-end", "", "end of the outcome period, RFC 3339, not in the future (default: now)")
	fl.BoolVar(&f.noEvidence, "no-evidence", false, "publish with no --evidence: a proof no verifier can check against anything")
	fl.BoolVar(&f.anyway, "anyway", false, "publish into --district even though its name is a near miss of a district held here whose genesis it lacks")
	cmd.MarkFlagRequired("mip")
	cmd.MarkFlagRequired("claim")
	return cmd
}

func (a *app) publishRequest(f publishFlags, districtSet bool) (api.PublishRequest, error) {
	req := api.PublishRequest{MIP: f.mip, Evidence: f.evidence, District: f.district, NoEvidence: f.noEvidence, Anyway: f.anyway}
	claim, err := a.readInput(a.ctx, f.claim, maxClaimFile)
	if err != nil {
		return req, err
	}
	if !json.Valid(claim) {
		return req, fmt.Errorf("claim file %s is not valid JSON", f.claim)
	}
	req.Claim = claim
	if req.PeriodStart, err = parseTime("--period-start", f.start); err != nil {
		return req, err
	}
	if req.PeriodEnd, err = parseTime("--period-end", f.end); err != nil {
		return req, err
	}
	if !districtSet {
		h, err := home.Resolve(a.homeFlag)
		if err != nil {
			return req, err
		}
		if cfg, err := home.LoadConfig(h.Config()); err == nil {
			req.District = cfg.District
		}
	}
	return req, nil
}

func parseTime(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usageErr("%s %q is not an RFC 3339 time like 2025-06-30T00:00:00Z", flag, s)
	}
	return t, nil
}
