package main

import (
	"errors"
	"fmt"
	"io"
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
		Short: "Write the entries held (or what a want file lacks) to a CAR file (- for stdout)",
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
	if err := a.checkOutput(file); err != nil {
		return err
	}
	svc, done, err := a.service(cmd.Context(), needRead)
	if err != nil {
		return err
	}
	defer done()
	// With "-" the bundle is stdout, and what is said about it goes to stderr.
	out, fill := a.stdout, writeAtomic
	if file == stdio {
		out, fill = a.stderr, func(_ string, f func(io.Writer) error) error { return f(a.stdout) }
	}
	m := a.meter("exporting", -1)
	var st bundle.Stats
	err = fill(file, func(w io.Writer) error {
		st, err = svc.ExportBundle(cmd.Context(), m.writer(w), req)
		return err
	})
	m.finish()
	name := inputName(file)
	if file == stdio {
		name = "stdout"
	}
	switch {
	case errors.Is(err, bundle.ErrNothing):
		if a.json {
			return printJSON(out, Exported{})
		}
		fmt.Fprintf(out, "nothing to export: %s not written\n", name)
		return nil
	case cmd.Context().Err() != nil:
		if file == stdio {
			return interruptedErr("the bundle on stdout is cut short: do not import it")
		}
		return interruptedErr("%s was not written", file)
	case err != nil:
		return err
	}
	if a.json {
		return printJSON(out, Exported{File: file, Stats: st})
	}
	fmt.Fprintf(out, "wrote %s by %s (%d bytes) to %s\n", count(st.Entries, "entry", "entries"), count(st.Authors, "author", "authors"), st.Bytes, name)
	return nil
}

// writeAtomic writes path through a temporary file in its directory,
// synced and renamed over path only when fill succeeds.
func writeAtomic(path string, fill func(w io.Writer) error) error {
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
			if out != "" {
				if err := a.checkOutput(out); err != nil {
					return err
				}
			}
			svc, done, err := a.service(cmd.Context(), needRead)
			if err != nil {
				return err
			}
			defer done()
			w, err := svc.WantBundle(cmd.Context())
			if err != nil {
				return err
			}
			if out == "" || out == stdio {
				return w.Write(a.stdout)
			}
			return writeAtomic(out, func(f io.Writer) error { return w.Write(f) })
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the want file to FILE instead of stdout (- is stdout)")
	return cmd
}

func (a *app) bundleImportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Check and store the entries of a CAR bundle (- for stdin)",
		Args:  oneArg("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.bundleImport(cmd, args[0])
		},
	}
}

func (a *app) bundleImport(cmd *cobra.Command, file string) error {
	ctx := cmd.Context()
	in, err := a.openInput(ctx, file)
	if err != nil {
		return err
	}
	defer in.close()
	svc, done, err := a.service(ctx, needWrite)
	if err != nil {
		return err
	}
	defer done()
	m := a.meter("importing", in.size)
	rep, err := svc.ImportBundle(ctx, m.reader(in))
	m.finish()
	switch {
	case errors.Is(err, api.ErrInterrupted):
		if a.json {
			printJSON(a.stdout, rep)
		}
		return interruptedErr("%s imported; run it again for the rest", countBig(rep.New, "new entry", "new entries"))
	case ctx.Err() != nil:
		return interruptedErr("%s bytes of %s sent; the daemon stopped importing and keeps the entries it stored whole; run it again for the rest", thousands(m.done), inputName(file))
	case errors.Is(err, api.ErrBadInput):
		return withRemedy(fmt.Errorf("%s: %w", inputName(file), err), "is it a file made by mycel bundle export? nothing was imported")
	case err != nil:
		return err
	}
	if a.json {
		err = printJSON(a.stdout, rep)
	} else {
		a.printReport(rep)
	}
	if err == nil && rep.Damaged != "" {
		return withRemedy(fmt.Errorf("%s is damaged %s", inputName(file), rep.Damaged),
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
