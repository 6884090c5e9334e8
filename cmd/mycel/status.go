package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) statusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show reachability and connected peers (exit 3 when no daemon runs)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, done, err := a.service(cmd.Context(), needDaemon)
			if err != nil {
				return err
			}
			defer done()
			st, err := svc.Status(cmd.Context())
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, st)
			}
			return a.printStatus(st)
		},
	}
}

func (a *app) printStatus(st api.Status) error {
	for _, w := range st.Warnings {
		fmt.Fprintf(a.stdout, "WARNING: %s\n", w)
	}
	if len(st.Warnings) > 0 {
		fmt.Fprintln(a.stdout)
	}
	fmt.Fprintf(a.stdout, "self          %s\nreachability  %s\n\n", st.Self.PeerID, reachWords(st.Self.Reachability, st.Self.Relays))
	if len(st.Peers) == 0 {
		fmt.Fprintln(a.stdout, "no peers connected (connect one: mycel connect MULTIADDR)")
	} else {
		t := a.newTable("PEER", "CONNECTION", "LATENCY", "LAST SEEN", "LAST ENTRY", "SYNC", "CLOCK", "ADDRESS")
		for _, p := range st.Peers {
			t.row(p.PeerID, p.Connection, latency(p.LatencyMS), ago(p.LastSeen), ago(p.LastEntry), syncWords(p.LastSync), clockWords(p.ClockSkewMS), p.Addr)
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	return a.printRemembered(st.Remembered)
}

// reachWords says what a reachability word means for the user.
func reachWords(r string, relays []string) string {
	switch r {
	case api.ReachPublic:
		return "public: other peers can dial this one directly"
	case api.ReachPrivate:
		if len(relays) > 0 {
			return "private: behind NAT; reachable through relay " + strings.Join(relays, ", ") + " (and hole punching)"
		}
		return "private: behind NAT and no relay yet; peers cannot dial this one (add a relay to config.toml)"
	case api.ReachLAN:
		return "LAN only: no public address; peers on this network dial this one directly"
	case api.ReachOffline:
		return "offline: not listening; entries travel by bundles"
	}
	return "not known yet: still probing"
}

// syncWords says how the last sync round with a peer went: "in sync",
// "got N, sent M" (entries each side lacked), or "failed: …", with when.
func syncWords(s *api.PeerSync) string {
	switch {
	case s == nil:
		return "-"
	case s.Error != "":
		return "failed " + ago(s.At) + ": " + cutWords(s.Error, 60)
	case s.New+s.Sent == 0 && s.InSync:
		return "in sync " + ago(s.At)
	}
	words := fmt.Sprintf("got %d, sent %d %s", s.New, s.Sent, ago(s.At))
	if !s.InSync {
		words += " (not all taken)"
	}
	return words
}

// clockWords says how a peer's clock stands to ours, when known.
func clockWords(ms *int64) string {
	if ms == nil {
		return "-"
	}
	d := time.Duration(*ms) * time.Millisecond
	if d.Abs() < time.Second {
		return "ok"
	}
	if d < 0 {
		return d.Abs().Round(time.Second).String() + " behind"
	}
	return d.Round(time.Second).String() + " ahead"
}

func cutWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func latency(ms float64) string {
	if ms <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fms", ms)
}

func ago(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := time.Since(t).Round(time.Second)
	if d < time.Second {
		return "now"
	}
	return d.String() + " ago"
}
