package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) evidenceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evidence",
		Short: "Add and list evidence kept in the vault (it never leaves it)",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(a.evidenceAddCmd(), a.evidenceListCmd())
	return cmd
}

func (a *app) evidenceAddCmd() *cobra.Command {
	var label string
	cmd := &cobra.Command{
		Use:   "add FILE",
		Short: "Add a file (- for stdin) as evidence; prints its id",
		Args:  oneArg("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			content, err := a.readInput(cmd.Context(), args[0], api.MaxEvidenceSize)
			if err != nil {
				return err
			}
			if label == "" {
				label = filepath.Base(inputName(args[0]))
			}
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			ev, err := svc.AddEvidence(cmd.Context(), content, label)
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, ev)
			}
			_, err = fmt.Fprintln(a.stdout, ev.ID)
			return err
		},
	}
	cmd.Flags().StringVar(&label, "label", "", "what to call it (default: the file name)")
	return cmd
}

func (a *app) evidenceListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List evidence items",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return show(a, cmd, needRead, api.Service.Evidence, func(items []api.Evidence) error {
				t := a.newTable("ID", "LABEL", "SIZE", "ADDED")
				for _, e := range items {
					t.row(e.ID, e.Label, fmt.Sprint(e.Size), clock(e.Added))
				}
				return t.flush()
			})
		},
	}
}
