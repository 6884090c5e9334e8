package settle

import (
	"fmt"
	"slices"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

// PinProblems says, one line per pin in district order, which pins cannot
// fix their district's genesis: the pinned CID names an entry that is not
// a district entry, or the district entry of another district. get looks
// a CID up among the entries held; a pin whose entry is not held yet is a
// problem too (no verifier counts in that district until it arrives).
// Good pins give no line.
func PinProblems(pins Pins, get func(cid.Cid) (protocol.Entry, bool)) []string {
	names := make([]string, 0, len(pins))
	for d := range pins {
		names = append(names, d)
	}
	slices.Sort(names)
	var out []string
	for _, d := range names {
		c := pins[d]
		e, ok := get(c)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("pin %s = %s names no entry held here: until it arrives no steward or verifier counts in %s (check the CID in config.toml [pins])", d, c, d))
		case e.Kind != KindDistrict:
			out = append(out, fmt.Sprintf("pin %s = %s names an entry of kind %s, not a district entry: no steward or verifier counts in %s (pin the district entry's CID in config.toml [pins])", d, c, e.Kind, d))
		case e.District != d:
			out = append(out, fmt.Sprintf("pin %s = %s names the district entry of %q: no steward or verifier counts in %s (pin %s's own district entry)", d, c, e.District, d, d))
		}
	}
	return out
}
