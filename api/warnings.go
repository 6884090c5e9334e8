package api

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// ClockSkewWarn is how far a clock may run from its peers' before status
// warns: entries arrive within seconds of their writing, so a larger
// offset is a clock set wrong.
const ClockSkewWarn = time.Minute

// maxNamed bounds the authors or peers one warning names.
const maxNamed = 3

// warnings lists what the user should act on, most serious first: this
// peer refuses to write, forks held, pins that fix no genesis, bootstrap
// peers not reached, clocks far apart. Each line carries its remedy.
func (l *Local) warnings(st Status) []string {
	out := []string{}
	if st.Self.Warning != "" {
		out = append(out, "this peer refuses to write: "+st.Self.Warning)
	}
	if w := l.forkWarning(); w != "" {
		out = append(out, w)
	}
	out = append(out, settle.PinProblems(l.Pins, l.entryOf)...)
	out = append(out, bootstrapWarnings(st.Remembered)...)
	return append(out, clockWarnings(st.Peers)...)
}

// entryOf looks a CID up in the vault.
func (l *Local) entryOf(c cid.Cid) (protocol.Entry, bool) {
	b, err := l.Vault.Get(c)
	return b.Entry, err == nil
}

// forkWarning says how many forks the vault holds and names a few of
// their authors, who count as flagged in every view.
func (l *Local) forkWarning() string {
	forks, err := l.Vault.Forks()
	if err != nil || len(forks) == 0 {
		return ""
	}
	var authors []string
	for _, f := range forks {
		if a := f.Author.String(); !slices.Contains(authors, a) {
			authors = append(authors, a)
		}
	}
	return fmt.Sprintf("%d fork(s) held: %s wrote two entries at one seq and count(s) as flagged in every view (their receipts and attestations do not count)", len(forks), named(authors))
}

// bootstrapWarnings names the bootstrap peers not connected whose last
// dial failed.
func bootstrapWarnings(rs []Remembered) []string {
	var out []string
	for _, r := range rs {
		if r.Source == "bootstrap" && r.LastError != "" {
			out = append(out, fmt.Sprintf("bootstrap peer %s unreachable: %s (check it runs and network.bootstrap in config.toml; redialled with backoff)", r.PeerID, r.LastError))
		}
	}
	return out
}

// clockWarnings warns when this peer's clock is far from the median of
// its peers' (its own clock is wrong), else names the peers whose clock
// is far from ours.
func clockWarnings(peers []Peer) []string {
	var skews []time.Duration
	var far []string
	for _, p := range peers {
		if p.ClockSkewMS == nil {
			continue
		}
		d := time.Duration(*p.ClockSkewMS) * time.Millisecond
		skews = append(skews, d)
		if d.Abs() > ClockSkewWarn {
			far = append(far, fmt.Sprintf("%s (%s)", p.PeerID, aheadBehind(d)))
		}
	}
	if len(skews) == 0 || len(far) == 0 {
		return nil
	}
	slices.Sort(skews)
	if m := skews[len(skews)/2]; m.Abs() > ClockSkewWarn && len(far)*2 > len(skews) {
		return []string{fmt.Sprintf("this peer's clock is %s its peers' (median of %d): entry times will look wrong to them; set the system clock (enable NTP)", aheadBehindOf(-m), len(skews))}
	}
	return []string{fmt.Sprintf("clock far from ours on %s: its entry times will look wrong here", named(far))}
}

// aheadBehind says how a peer's clock d stands to ours.
func aheadBehind(d time.Duration) string {
	return aheadBehindOf(d) + " ours"
}

func aheadBehindOf(d time.Duration) string {
	if d < 0 {
		return d.Abs().Round(time.Second).String() + " behind"
	}
	return d.Round(time.Second).String() + " ahead of"
}

// named lists at most maxNamed items and how many more there are.
func named(xs []string) string {
	if len(xs) <= maxNamed {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:maxNamed], ", "), len(xs)-maxNamed)
}
