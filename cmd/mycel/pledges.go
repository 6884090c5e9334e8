package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) pledgesCmd() *cobra.Command {
	var q api.PledgeQuery
	cmd := &cobra.Command{
		Use:   "pledges [--all]",
		Short: "List your pledges (everyone's with --all): what each paid, what is left, open or ended",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fetch := func(svc api.Service, ctx context.Context) ([]api.PledgeRow, error) { return svc.Pledges(ctx, q) }
			return show(a, cmd, needRead, fetch, func(ps []api.PledgeRow) error {
				t := a.newTable("CID", "AUTHOR", "MIP", "DISTRICT", "AMOUNT", "UNIT", "CAP", "PAID", "LEFT", "STATE", "WHERE")
				for _, p := range ps {
					t.row(p.CID, short(p.Author), p.MIP, orGlobal(p.District), strconv.FormatUint(p.Amount, 10), p.Unit,
						strconv.FormatUint(p.Cap, 10), strconv.FormatUint(p.Paid, 10), strconv.FormatUint(p.Left, 10),
						p.State, orDash(strings.Join(p.Where, " ")))
				}
				return t.flush()
			})
		},
	}
	cmd.Flags().BoolVar(&q.All, "all", false, "list every pledge held, not only your own")
	return cmd
}

func (a *app) withdrawCmd() *cobra.Command {
	var req api.WithdrawRequest
	cmd := &cobra.Command{
		Use:   "withdraw CID [--reason TEXT]",
		Short: "End one of your pledges: no receipt is paid under it after this entry; prints its CID",
		Args:  oneArg("pledge CID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Pledge = args[0]
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := svc.Withdraw(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	cmd.Flags().StringVar(&req.Reason, "reason", "", "why, for those the pledge would have paid (at most 256 bytes)")
	return cmd
}
