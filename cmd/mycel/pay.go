package main

import (
	"regexp"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) payCmd() *cobra.Command {
	var req api.PayRequest
	cmd := &cobra.Command{
		Use:   "pay PEER AMOUNT UNIT [--for CID]... [--memo TEXT]",
		Short: "Sign a receipt: pay AMOUNT (integer minor units) of UNIT to PEER; prints its CID",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 3 {
				return usageErr("%s needs PEER AMOUNT UNIT (see: %s --help)", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			amount, err := parseAmount("AMOUNT", args[1])
			if err != nil {
				return err
			}
			req.Payee, req.Amount, req.Unit = args[0], amount, args[2]
			if req.District, err = a.district(cmd, req.District); err != nil {
				return err
			}
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := svc.Pay(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&req.For, "for", nil, "CID paid for: a proof, result or solution (repeatable)")
	fl.StringVar(&req.Memo, "memo", "", "a note for the payee, at most 256 bytes")
	fl.StringVar(&req.District, "district", "", "district whose credit limits apply (default: the config's)")
	fl.BoolVar(&req.AllowUncovered, "allow-uncovered", false, "sign it even beyond your credit limit: the payee holds it uncovered until your income backs it")
	cmd.SetFlagErrorFunc(amountFlagError)
	return cmd
}

// negativeArg finds the argument pflag took for a shorthand flag.
var negativeArg = regexp.MustCompile(`unknown shorthand flag: '.' in (-\S+)`)

// amountFlagError words "pay PEER -5 UNIT", which the flag parser reads as
// flag -5, as the bad amount it is.
func amountFlagError(_ *cobra.Command, err error) error {
	if m := negativeArg.FindStringSubmatch(err.Error()); m != nil {
		if _, perr := strconv.ParseFloat(m[1], 64); perr == nil {
			return usageErr("AMOUNT must be a positive integer (minor units), got %q", m[1])
		}
	}
	return err
}

// parseAmount reads a positive integer amount.
func parseAmount(what, s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, usageErr("%s must be a positive integer (minor units), got %q", what, s)
	}
	return n, nil
}
