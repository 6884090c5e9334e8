package main

import (
	"context"
	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) proofsCmd() *cobra.Command {
	var q api.ProofQuery
	cmd := &cobra.Command{
		Use:   "proofs",
		Short: "List the proofs held, oldest first",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fetch := func(svc api.Service, ctx context.Context) ([]api.Proof, error) { return svc.Proofs(ctx, q) }
			return show(a, cmd, needRead, fetch, func(ps []api.Proof) error {
				t := a.newTable("CID", "AUTHOR", "MIP", "DISTRICT", "TIME", "VERIFIED")
				for _, p := range ps {
					t.row(p.CID, short(p.Author), p.MIP, orGlobal(p.District), clock(p.Time), yesNo(p.Verified))
				}
				return t.flush()
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&q.MIP, "mip", "", "only this MIP: MIP-HLT@1, or MIP-HLT for any version")
	fl.StringVar(&q.District, "district", "", "only this district")
	fl.StringVar(&q.Author, "author", "", "only this author: peer ID or did:key")
	return cmd
}

func orGlobal(d string) string {
	if d == "" {
		return "(global)"
	}
	return d
}
