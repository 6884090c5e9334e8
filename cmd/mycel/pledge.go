package main

import (
	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

type pledgeFlags struct {
	req         api.PledgeRequest
	amount, cap string
	expires     string
}

func (a *app) pledgeCmd() *cobra.Command {
	var f pledgeFlags
	cmd := &cobra.Command{
		Use:   "pledge --mip M --amount N --unit U --cap C [--where EXPR]... [--expires TIME]",
		Short: "Pledge to pay N of U per verified proof of a MIP in a district, up to a cap; prints its CID",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := a.pledgeRequest(cmd, f)
			if err != nil {
				return err
			}
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := svc.Pledge(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.req.MIP, "mip", "", "MIP and version the proofs must be under, e.g. MIP-HLT@1 (required)")
	fl.StringVar(&f.amount, "amount", "", "amount per verified proof, integer minor units (required)")
	fl.StringVar(&f.req.Unit, "unit", "", "unit, e.g. credit or USD-cents (required)")
	fl.StringVar(&f.cap, "cap", "", "total the pledge pays at most (required)")
	fl.StringArrayVar(&f.req.Where, "where", nil, "claim condition FIELD OP VALUE, e.g. cohort_size>=100 or measure=hba1c (repeatable; all must hold)")
	fl.StringVar(&f.expires, "expires", "", "when the pledge stops taking proofs, RFC 3339 (default: never)")
	fl.StringVar(&f.req.District, "district", "", "district of the proofs (default: the config's)")
	fl.BoolVar(&f.req.Anyway, "anyway", false, "pledge into --district even though its name is a near miss of a district held here whose genesis it lacks")
	for _, name := range []string{"mip", "amount", "unit", "cap"} {
		cmd.MarkFlagRequired(name)
	}
	cmd.AddCommand(a.withdrawCmd())
	return cmd
}

func (a *app) pledgeRequest(cmd *cobra.Command, f pledgeFlags) (api.PledgeRequest, error) {
	req := f.req
	var err error
	if req.Amount, err = parseAmount("--amount", f.amount); err != nil {
		return req, err
	}
	if req.Cap, err = parseAmount("--cap", f.cap); err != nil {
		return req, err
	}
	if req.Expires, err = parseTime("--expires", f.expires); err != nil {
		return req, err
	}
	for _, w := range req.Where {
		if _, err := api.ParseCond(w); err != nil {
			return req, usageErr("--where %v", err)
		}
	}
	req.District, err = a.district(cmd, req.District)
	return req, err
}

// district returns the --district flag when given, else the config's.
func (a *app) district(cmd *cobra.Command, flag string) (string, error) {
	if cmd.Flags().Changed("district") {
		return flag, nil
	}
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return "", err
	}
	if cfg, err := home.LoadConfig(h.Config()); err == nil {
		return cfg.District, nil
	}
	return flag, nil
}
