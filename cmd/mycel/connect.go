package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) connectCmd() *cobra.Command {
	var forget bool
	cmd := &cobra.Command{
		Use:   "connect MULTIADDR | --forget PEER",
		Short: "Connect to a peer by its full multiaddr (…/p2p/<peer id>); it is remembered and redialled until --forget",
		Args:  oneArg("MULTIADDR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if forget {
				return a.forget(cmd, args[0])
			}
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
	cmd.Flags().BoolVar(&forget, "forget", false, "forget a remembered peer (peer ID or multiaddr): it is no longer redialled, and its connections close")
	return cmd
}

// forget removes a remembered peer.
func (a *app) forget(cmd *cobra.Command, p string) error {
	if _, err := api.ParsePeer(p); err != nil {
		return err
	}
	svc, done, err := a.service(cmd.Context(), needDaemon)
	if err != nil {
		return err
	}
	defer done()
	f, err := svc.Forget(cmd.Context(), p)
	if err != nil {
		return err
	}
	if a.json {
		return printJSON(a.stdout, f)
	}
	_, err = fmt.Fprintf(a.stdout, "forgot %s: it is no longer redialled\n", f.PeerID)
	return err
}
