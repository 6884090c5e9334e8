package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) idCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "id",
		Short: "Print this peer's ID, did:key and addresses",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return show(a, cmd, needRead, api.Service.Identity, func(id api.Identity) error {
				fmt.Fprintf(a.stdout, "peer id  %s\ndid      %s\n", id.PeerID, id.DID)
				if len(id.Addrs) == 0 {
					_, err := fmt.Fprintln(a.stdout, "addrs    none (no daemon running)")
					return err
				}
				_, err := fmt.Fprintf(a.stdout, "addrs    %s\n", strings.Join(id.Addrs, "\n         "))
				return err
			})
		},
	}
}
