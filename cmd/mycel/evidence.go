package main

import (
	"fmt"
	"os"
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
		Short: "Add a file as evidence; prints its id",
		Args:  oneArg("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			content, err := readInput(args[0], api.MaxEvidenceSize)
			if err != nil {
				return err
			}
			if label == "" {
				label = filepath.Base(args[0])
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
				t := newTable(a.stdout, "ID", "LABEL", "SIZE", "ADDED")
				for _, e := range items {
					t.row(e.ID, e.Label, fmt.Sprint(e.Size), clock(e.Added))
				}
				return t.flush()
			})
		},
	}
}

// readInput reads a whole file of at most limit bytes, with one-line errors.
func readInput(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	switch {
	case err != nil && os.IsNotExist(err):
		return nil, fmt.Errorf("no such file: %s", path)
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", path, err)
	case st.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a file", path)
	case st.Size() > limit:
		return nil, fmt.Errorf("%s is %d bytes, limit %d", path, st.Size(), limit)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}
