package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func (a *app) idCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "id",
		Short: "Print this peer's ID, did:key and addresses",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, done, err := a.service(cmd.Context(), needRead)
			if err != nil {
				return err
			}
			defer done()
			id, err := svc.Identity(cmd.Context())
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, id)
			}
			fmt.Fprintf(a.stdout, "peer id  %s\ndid      %s\n", id.PeerID, id.DID)
			if len(id.Addrs) == 0 {
				fmt.Fprintln(a.stdout, "addrs    none (no daemon running)")
				return nil
			}
			_, err = fmt.Fprintf(a.stdout, "addrs    %s\n", strings.Join(id.Addrs, "\n         "))
			return err
		},
	}
}
