package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) logCmd() *cobra.Command {
	var author string
	cmd := &cobra.Command{
		Use:   "log",
		Short: "List the entries held, in log order per author",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, done, err := a.service(cmd.Context(), needRead)
			if err != nil {
				return err
			}
			defer done()
			entries, err := svc.Log(cmd.Context(), author)
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, entries)
			}
			t := newTable(a.stdout, "CID", "AUTHOR", "SEQ", "KIND", "DISTRICT", "TIME")
			for _, e := range entries {
				t.row(e.CID, short(e.Author), fmt.Sprint(e.Seq), e.Kind, orGlobal(e.District), clock(e.Time))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&author, "author", "", "only this author: peer ID or did:key")
	return cmd
}
