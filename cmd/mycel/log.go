package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) logCmd() *cobra.Command {
	var author string
	cmd := &cobra.Command{
		Use:   "log",
		Short: "List the entries held, in log order per author",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fetch := func(svc api.Service, ctx context.Context) ([]api.LogEntry, error) { return svc.Log(ctx, author) }
			return show(a, cmd, needRead, fetch, func(entries []api.LogEntry) error {
				t := a.newTable("CID", "AUTHOR", "SEQ", "KIND", "DISTRICT", "TIME")
				for _, e := range entries {
					t.row(e.CID, short(e.Author), fmt.Sprint(e.Seq), e.Kind, orGlobal(e.District), clock(e.Time))
				}
				return t.flush()
			})
		},
	}
	cmd.Flags().StringVar(&author, "author", "", "only this author: peer ID or did:key")
	return cmd
}
