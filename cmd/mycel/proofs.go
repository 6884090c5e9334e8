package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/protocol"
)

func (a *app) proofsCmd() *cobra.Command {
	var q api.ProofQuery
	cmd := &cobra.Command{
		Use:   "proofs",
		Short: "List the proofs held, oldest first",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkProofQuery(q); err != nil {
				return err
			}
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

// checkProofQuery refuses filters no proof could ever match because
// they are malformed, which would otherwise read as "no proofs held".
func checkProofQuery(q api.ProofQuery) error {
	if q.MIP != "" {
		_, _, exact := protocol.ParseMIPRef(q.MIP)
		_, _, anyVersion := protocol.ParseMIPRef(q.MIP + "@1")
		if !exact && (!anyVersion || strings.Contains(q.MIP, "@")) {
			return usageErr("--mip %q is not a MIP: write MIP-HLT@1, or MIP-HLT for any version (mycel mip list)", q.MIP)
		}
	}
	if q.District != "" && !protocol.ValidDistrict(q.District) {
		return usageErr("--district %q is not a lowercase path like meso-valley/north", q.District)
	}
	return nil
}

func orGlobal(d string) string {
	if d == "" {
		return "(global)"
	}
	return d
}
