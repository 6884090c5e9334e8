package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) connectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "connect MULTIADDR",
		Short: "Connect to a peer by its full multiaddr (…/p2p/<peer id>)",
		Args:  oneArg("MULTIADDR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := api.CheckPeerAddr(args[0]); err != nil {
				return err
			}
			svc, done, err := a.service(cmd.Context(), needDaemon)
			if err != nil {
				return err
			}
			defer done()
			p, err := svc.Connect(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, p)
			}
			_, err = fmt.Fprintf(a.stdout, "connected to %s (%s)\n", p.PeerID, p.Connection)
			return err
		},
	}
}
