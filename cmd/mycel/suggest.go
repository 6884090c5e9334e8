package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// suggestDistance is the largest edit distance at which a mistyped
// command or flag gets a "did you mean" (cobra's default too).
const suggestDistance = 2

// unknownCommand is the usage error for args[0] under cmd, with the
// nearest commands when there are some.
func unknownCommand(cmd *cobra.Command, name string) error {
	cmd.SuggestionsMinimumDistance = suggestDistance
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		return usageErr("unknown command %q for %s: did you mean %s? (see: %s --help)", name, cmd.CommandPath(), orList(s), cmd.CommandPath())
	}
	return usageErr("unknown command %q for %s (see: %s --help)", name, cmd.CommandPath(), cmd.CommandPath())
}

// flagError is the usage error for a bad flag, with the nearest flags of
// cmd when one was mistyped.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return usageErr("%v", err)
	}
	// The nearest flags only: --autor names --author, not --after too.
	var near []string
	best := suggestDistance + 1
	seen := map[string]bool{}
	visit := func(f *pflag.Flag) {
		d := distance(name, f.Name)
		if seen[f.Name] || f.Hidden || d > best {
			return
		}
		if d < best {
			best, near = d, nil
		}
		seen[f.Name] = true
		near = append(near, "--"+f.Name)
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	if len(near) == 0 {
		return usageErr("%s (see: %s --help)", msg, cmd.CommandPath())
	}
	return usageErr("%s: did you mean %s? (see: %s --help)", msg, orList(near), cmd.CommandPath())
}

// orList joins names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// distance is the Levenshtein distance between a and b, by bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// versionLine is what `mycel version` and `mycel --version` print.
func versionLine(v Version) string {
	rev := ""
	if v.Revision != "" {
		rev = ", revision " + short12(v.Revision)
		if v.Modified {
			rev += " with local changes"
		}
	}
	return fmt.Sprintf("mycel %s (%s, %s%s)", v.Version, v.Go, v.Platform, rev)
}

func short12(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
