package main

import (
	"fmt"
	"time"

	"github.com/mesocosm/mycel/api"
)

// printRemembered lists the remembered peers that are not connected: the
// daemon redials them with backoff. A bootstrap peer never reached reads
// "never" under LAST SEEN.
func (a *app) printRemembered(rs []api.Remembered) error {
	if len(rs) == 0 {
		return nil
	}
	fmt.Fprintf(a.stdout, "\nremembered peers not connected: %d, redialled with backoff (forget one: mycel connect --forget PEER)\n", len(rs))
	t := a.newTable("PEER", "MET BY", "LAST SEEN", "NEXT DIAL", "LAST ERROR")
	for _, r := range rs {
		seen := ago(r.LastSeen)
		if r.LastSeen.IsZero() {
			seen = "never"
		}
		t.row(r.PeerID, r.Source, seen, until(r.NextDial), dash(r.LastError))
	}
	return t.flush()
}

// until says how long until t: "now" when past or zero.
func until(t time.Time) string {
	d := time.Until(t).Round(time.Second)
	if t.IsZero() || d <= 0 {
		return "now"
	}
	return "in " + d.String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
