package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) logCmd() *cobra.Command {
	var q api.LogQuery
	var p paging
	cmd := &cobra.Command{
		Use:   "log [--author PEER] [--limit N] [--after CURSOR]",
		Short: "List the entries held, in log order per author",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fetch := func(svc api.Service, ctx context.Context, after string, limit int) ([]api.LogEntry, string, error) {
				q.After, q.Limit = after, limit
				page, err := svc.Log(ctx, q)
				return page.Entries, page.Next, err
			}
			return showPages(a, cmd, needRead, p, fetch,
				[]string{"CID", "AUTHOR", "SEQ", "KIND", "DISTRICT", "TIME"},
				func(e api.LogEntry) []string {
					return []string{e.CID, short(e.Author), fmt.Sprint(e.Seq), e.Kind, orGlobal(e.District), clock(e.Time)}
				}, again(cmd))
		},
	}
	cmd.Flags().StringVar(&q.Author, "author", "", "only this author: peer ID or did:key")
	p.flags(cmd, "entries")
	return cmd
}
