package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// app carries what every command shares: standard streams and the global
// flags.
type app struct {
	ctx            context.Context // the command line's: ends on the first Ctrl-C or SIGTERM
	stdin          io.Reader
	stdout, stderr io.Writer
	homeFlag       string
	passFile       string
	json           bool
	you            string // this peer's ID once a command opened its service; tables mark it
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.root()
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		return report(stderr, err)
	}
	return exitOK
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "mycel",
		Short:         "Mycel: signed outcome proofs on a peer-to-peer mesh",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		RunE:          group,
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(flagError)
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		// "--home $DIR" with DIR unset would quietly use the default home.
		if cmd.Flags().Changed("home") && strings.TrimSpace(a.homeFlag) == "" {
			return usageErr("--home is empty: give a directory, or leave the flag out for $MYCEL_HOME or ~/.mycel")
		}
		return nil
	}
	root.Version = versionLine(buildVersion())
	root.SetVersionTemplate("{{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&a.homeFlag, "home", "", "home directory (default $MYCEL_HOME or ~/.mycel)")
	pf.StringVar(&a.passFile, "passphrase-file", "", "file holding the vault passphrase (default $MYCEL_PASSPHRASE)")
	pf.BoolVar(&a.json, "json", false, "print JSON for scripts instead of tables")
	root.AddCommand(
		a.initCmd(), a.daemonCmd(), a.idCmd(), a.statusCmd(), a.connectCmd(),
		a.evidenceCmd(), a.proofCmd(), a.proofsCmd(), a.logCmd(), a.getCmd(),
		a.mipCmd(), a.versionCmd(), a.demoCmd(), a.bundleCmd(), a.shutdownCmd(),
	)
	root.AddCommand(a.attestCmd(), a.payCmd(), a.pledgeCmd(), a.pledgesCmd(), a.districtCmd(), a.balanceCmd(), a.receiptsCmd(), a.ledgerCmd())
	root.AddCommand(a.vaultCmd(), a.gridCmd(), a.problemCmd(), a.problemsCmd(), a.solveCmd(), a.acceptCmd(), a.proposeCmd(), a.voteCmd(), a.proposalsCmd(), a.agencyCmd(), a.backupCmd(), a.restoreCmd(), a.keyCmd(), a.passphraseCmd(), a.doctorCmd(), a.dashboardCmd())
	return root
}

// group is the RunE of a command that only holds subcommands: help
// without arguments, a usage error for an unknown subcommand.
func group(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return unknownCommand(cmd, args[0])
	}
	return cmd.Help()
}

// Argument checks that fail as usage errors (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErr("%s takes no arguments, got %q (see: %s --help)", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

func oneArg(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageErr("%s needs exactly one %s (see: %s --help)", cmd.CommandPath(), name, cmd.CommandPath())
		}
		return nil
	}
}
