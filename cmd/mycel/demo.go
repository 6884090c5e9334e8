package main

import (
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/cmd/mycel/internal/demo"
)

func (a *app) demoCmd() *cobra.Command {
	var opt demo.Options
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a whole district on loopback and narrate the outcome loop",
		Long: `Starts a district of real peers in this process, on loopback only: a clinic,
a farm, a school, two verifiers, a funder, a market stall and a late joiner,
plus an offline outpost. Evidence goes into vaults, proofs are published and
gossiped, verifiers attest, the funder's node pays verified outcomes by
itself, a double payment by the stall is caught and proven, the late joiner
catches up by sync and the outpost from a bundle file. Nothing is kept: the
vaults live in a temporary directory.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.Peers != 0 && (opt.Peers < demo.MinPeers || opt.Peers > 40) {
				return usageErr("--peers must be between %d and 40", demo.MinPeers)
			}
			// A closed stdout (mycel demo | head) must fail the write, not
			// kill the process, so that the demo removes its vaults.
			signal.Ignore(syscall.SIGPIPE)
			defer signal.Reset(syscall.SIGPIPE)
			err := demo.Run(cmd.Context(), a.stdout, opt)
			if err != nil && cmd.Context().Err() != nil {
				return interruptedErr("the demo stopped its peers and removed its vaults")
			}
			return err
		},
	}
	cmd.Flags().IntVar(&opt.Peers, "peers", demo.MinPeers, "online peers in the district (8 to 40)")
	return cmd
}
