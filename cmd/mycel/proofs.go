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
	var p paging
	cmd := &cobra.Command{
		Use:   "proofs [--limit N] [--after CURSOR]",
		Short: "List the proofs held, by author, in log order",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkProofQuery(q); err != nil {
				return err
			}
			fetch := func(svc api.Service, ctx context.Context, after string, limit int) ([]api.Proof, string, error) {
				q.After, q.Limit = after, limit
				page, err := svc.Proofs(ctx, q)
				return page.Proofs, page.Next, err
			}
			return showPages(a, cmd, needRead, p, fetch,
				[]string{"CID", "AUTHOR", "MIP", "DISTRICT", "TIME", "VERIFIED"},
				func(p api.Proof) []string {
					return []string{p.CID, short(p.Author), p.MIP, orGlobal(p.District), clock(p.Time), yesNo(p.Verified)}
				}, again(cmd))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&q.MIP, "mip", "", "only this MIP: MIP-HLT@1, or MIP-HLT for any version")
	fl.StringVar(&q.District, "district", "", "only this district")
	fl.StringVar(&q.Author, "author", "", "only this author: peer ID or did:key")
	p.flags(cmd, "proofs")
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
