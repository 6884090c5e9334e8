package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// table writes aligned columns: a header row, then rows. A cell that is
// you (this peer's ID, whole or short) reads "ID (you)".
type table struct {
	tw  *tabwriter.Writer
	you string
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

// newTable is a table on stdout that marks this peer's ID.
func (a *app) newTable(header ...string) *table {
	t := newTable(a.stdout, header...)
	t.you = a.you
	return t
}

func (t *table) row(cols ...string) {
	if t.you != "" {
		for i, c := range cols {
			if c == t.you || c == short(t.you) {
				cols[i] = c + " (you)"
			}
		}
	}
	fmt.Fprintln(t.tw, strings.Join(cols, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// short abbreviates long identifiers for tables; --json prints them whole.
func short(s string) string {
	if len(s) <= 16 {
		return s
	}
	return s[:6] + "…" + s[len(s)-6:]
}

func clock(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// count says n things, singular or plural: "1 entry", "3 entries".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// countBig is count with thousands separated: "4,352 entries".
func countBig(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(int64(n)) + " " + many
}

// thousands writes n with a comma between each group of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
