package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/bundle"
)

// Exported is the --json answer of `mycel bundle export`; File is ""
// when there was nothing to export.
type Exported struct {
	File string `json:"file"`
	bundle.Stats
}

func (a *app) bundleCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "Carry entries on a file: want, export, import (CAR files)",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(a.bundleExportCmd(), a.bundleWantCmd(), a.bundleImportCmd())
	return cmd
}

func (a *app) bundleExportCmd() *cobra.Command {
	var req api.ExportRequest
	var since string
	cmd := &cobra.Command{
		Use:   "export FILE",
		Short: "Write the entries held (or what a want file lacks) to a CAR file",
		Args:  oneArg("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if since != "" {
				w, err := readWant(since)
				if err != nil {
					return err
				}
				req.Since = &w
			}
			return a.bundleExport(cmd, args[0], req)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&req.District, "district", "", "only the authors that wrote in this district (their whole logs)")
	fl.StringArrayVar(&req.Authors, "author", nil, "only this author, peer ID or did:key (repeatable)")
	fl.StringVar(&since, "since", "", "want file of the receiver (mycel bundle want): export only what it lacks")
	return cmd
}

func readWant(path string) (bundle.Want, error) {
	f, err := os.Open(path)
	if err != nil {
		return bundle.Want{}, fmt.Errorf("want file: %w", err)
	}
	defer f.Close()
	w, err := bundle.ReadWant(f)
	if err != nil {
		return w, withRemedy(fmt.Errorf("%s: %w", path, err), "make it on the receiving peer with: mycel bundle want > want.json")
	}
	return w, nil
}

func (a *app) bundleExport(cmd *cobra.Command, file string, req api.ExportRequest) error {
	svc, done, err := a.service(cmd.Context(), needRead)
	if err != nil {
		return err
	}
	defer done()
	m := a.meter("exporting", -1)
	var st bundle.Stats
	err = writeAtomic(file, func(f *os.File) error {
		st, err = svc.ExportBundle(cmd.Context(), m.writer(f), req)
		return err
	})
	m.finish()
	if errors.Is(err, bundle.ErrNothing) {
		if a.json {
			return printJSON(a.stdout, Exported{})
		}
		fmt.Fprintf(a.stdout, "nothing to export: %s not written\n", file)
		return nil
	}
	if err != nil {
		return err
	}
	if a.json {
		return printJSON(a.stdout, Exported{File: file, Stats: st})
	}
	fmt.Fprintf(a.stdout, "wrote %s by %s (%d bytes) to %s\n", count(st.Entries, "entry", "entries"), count(st.Authors, "author", "authors"), st.Bytes, file)
	return nil
}

// writeAtomic writes path through a temporary file in its directory,
// synced and renamed over path only when fill succeeds.
func writeAtomic(path string, fill func(f *os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	err = fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func (a *app) bundleWantCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "want",
		Short: "Print this peer's version vector as a want file for `bundle export --since`",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, done, err := a.service(cmd.Context(), needRead)
			if err != nil {
				return err
			}
			defer done()
			w, err := svc.WantBundle(cmd.Context())
			if err != nil {
				return err
			}
			if out == "" {
				return w.Write(a.stdout)
			}
			return writeAtomic(out, func(f *os.File) error { return w.Write(f) })
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the want file to FILE instead of stdout")
	return cmd
}

func (a *app) bundleImportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Check and store the entries of a CAR bundle",
		Args:  oneArg("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.bundleImport(cmd, args[0])
		},
	}
}

func (a *app) bundleImport(cmd *cobra.Command, file string) error {
	f, err := os.Open(file)
	switch {
	case os.IsNotExist(err):
		return fmt.Errorf("no such file: %s", file)
	case err != nil:
		return fmt.Errorf("bundle: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	svc, done, err := a.service(cmd.Context(), needWrite)
	if err != nil {
		return err
	}
	defer done()
	m := a.meter("importing", info.Size())
	rep, err := svc.ImportBundle(cmd.Context(), m.reader(f))
	m.finish()
	if errors.Is(err, api.ErrBadInput) {
		return withRemedy(fmt.Errorf("%s: %w", file, err), "is it a file made by mycel bundle export? nothing was imported")
	}
	if err != nil {
		return err
	}
	if a.json {
		err = printJSON(a.stdout, rep)
	} else {
		a.printReport(rep)
	}
	if err == nil && rep.Damaged != "" {
		return withRemedy(fmt.Errorf("%s is damaged %s", file, rep.Damaged),
			"the whole entries before the damage were imported; copy the file again and import it for the rest")
	}
	return err
}

// reasonLines is how many reasons the text report shows.
const reasonLines = 10

func (a *app) printReport(rep bundle.Report) {
	parts := []string{fmt.Sprintf("%d new, %d known, %d rejected", rep.New, rep.Known, rep.Rejected)}
	for _, x := range []struct {
		n    int
		name string
	}{{rep.Pending, "pending"}, {rep.Forks, "forks"}, {rep.Ignored, "ignored"}} {
		if x.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", x.n, x.name))
		}
	}
	fmt.Fprintln(a.stdout, strings.Join(parts, ", "))
	for i, r := range rep.Reasons {
		if i == reasonLines {
			fmt.Fprintf(a.stdout, "  ... and %d more (--json lists up to 100)\n", rep.Rejected+rep.Ignored-reasonLines)
			break
		}
		fmt.Fprintln(a.stdout, "  "+r)
	}
}
