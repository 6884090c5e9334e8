package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mesocosm/mycel/api"
)

// paging is a listing command's --limit and --after.
type paging struct {
	limit int
	after string
}

func (p *paging) flags(cmd *cobra.Command, what string) {
	fl := cmd.Flags()
	fl.IntVar(&p.limit, "limit", 0, "list at most this many "+what+" (default: all of them, read a page at a time)")
	fl.StringVar(&p.after, "after", "", "continue a listing after the cursor an earlier --limit printed")
}

// pageFetch reads one page: at most limit rows after the cursor, and the
// cursor of the next page ("" at the end).
type pageFetch[T any] func(svc api.Service, ctx context.Context, after string, limit int) ([]T, string, error)

// showPages lists rows a page at a time, writing each page as it comes:
// a table flushed per page, or with --json one JSON array streamed, so
// no page but the current one is held. With --limit, the listing stops
// there and, when more follow, says on stderr how to go on.
func showPages[T any](a *app, cmd *cobra.Command, n need, p paging, fetch pageFetch[T], header []string, row func(T) []string, again string) error {
	if p.limit < 0 {
		return usageErr("--limit %d: want a positive number (leave it out for all)", p.limit)
	}
	svc, done, err := a.service(cmd.Context(), n)
	if err != nil {
		return err
	}
	defer done()
	var out rowWriter[T] = &tableRows[T]{t: a.newTable(header...), row: row}
	if a.json {
		out = &jsonRows[T]{w: a.stdout}
	}
	left, after := p.limit, p.after
	for {
		size := api.MaxPage
		if p.limit > 0 {
			size = min(left, api.MaxPage)
		}
		rows, next, err := fetch(svc, cmd.Context(), after, size)
		if err != nil {
			return err
		}
		if err := out.page(rows); err != nil {
			return err
		}
		left -= len(rows)
		if after = next; next == "" {
			break
		}
		if p.limit > 0 && left <= 0 {
			fmt.Fprintf(a.stderr, "more follow: %s --after %s\n", again, next)
			break
		}
	}
	return out.end()
}

type rowWriter[T any] interface {
	page(rows []T) error
	end() error
}

type tableRows[T any] struct {
	t   *table
	row func(T) []string
}

func (w *tableRows[T]) page(rows []T) error {
	for _, r := range rows {
		w.t.row(w.row(r)...)
	}
	return w.t.flush()
}

func (w *tableRows[T]) end() error { return w.t.flush() }

// jsonRows writes one JSON array, a page at a time, indented as
// printJSON indents.
type jsonRows[T any] struct {
	w    io.Writer
	some bool
}

func (w *jsonRows[T]) page(rows []T) error {
	for _, r := range rows {
		b, err := json.MarshalIndent(r, "  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n  "
		if !w.some {
			sep, w.some = "[\n  ", true
		}
		if _, err := fmt.Fprintf(w.w, "%s%s", sep, b); err != nil {
			return err
		}
	}
	return nil
}

func (w *jsonRows[T]) end() error {
	end := "\n]\n"
	if !w.some {
		end = "[]\n"
	}
	_, err := io.WriteString(w.w, end)
	return err
}

// again is the command line that repeats cmd's listing with the flags
// given, less --after: what to run with the next cursor.
func again(cmd *cobra.Command) string {
	parts := []string{cmd.CommandPath()}
	visit := func(f *pflag.Flag) {
		if f.Changed && f.Name != "after" {
			parts = append(parts, "--"+f.Name+"="+shellWord(f.Value.String()))
		}
	}
	cmd.InheritedFlags().VisitAll(visit)
	cmd.LocalFlags().VisitAll(visit)
	return strings.Join(parts, " ")
}

// shellWord quotes s for a POSIX shell unless it is plain.
func shellWord(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@._/:=+-,", r)) {
			plain = false
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
