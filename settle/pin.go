package settle

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

// ErrBadPin marks a pin that names no district entry held for its
// district: with it, the district has no genesis, so no verifier counts.
var ErrBadPin = errors.New("bad pin")

// CheckPin says what is wrong with pinning district to c, given the entry
// held with that CID (held false: none). A good pin names a district
// entry whose body checks, whose name is district and equals its entry's
// district. The error wraps ErrBadPin and says, in one line, what the CID
// is instead and what to do. The daemon's start, mycel district pin and
// district show judge pins with it; PinProblems words it for status.
func CheckPin(district string, c cid.Cid, e protocol.Entry, held bool) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: pin %s = %s %s", ErrBadPin, district, c, fmt.Sprintf(format, args...))
	}
	if !held {
		return bad("names no entry held here: until it arrives no steward or verifier counts in %s (import the district's genesis with mycel bundle import, or fix the pin: mycel district pin %s CID)", district, district)
	}
	if e.Kind != KindDistrict {
		return bad("names an entry of kind %s, not a district entry (it is seq %d of %s): no steward or verifier counts in %s (pin the district's genesis: mycel district show %s)", e.Kind, e.Seq, e.Author, district, district)
	}
	body, err := pinKinds.Decode(e)
	if err != nil {
		return bad("names a district entry whose body does not check (%v): pin another", err)
	}
	d := body.(*District)
	switch {
	case d.Name != e.District:
		return bad("names a district entry that counts for no district (its name %q differs from its entry's district %q)", d.Name, e.District)
	case d.Name != district:
		return bad("names the district entry of %q, not of %s: no steward or verifier counts in %s (pin %s's own district entry)", d.Name, district, district, district)
	}
	return nil
}

// pinKinds decodes district entries.
var pinKinds = func() protocol.Kinds {
	k := protocol.DefaultKinds()
	Register(k)
	return k
}()

// PinProblems says, one line per pin in district order, which pins cannot
// fix their district's genesis (see CheckPin). get looks a CID up among
// the entries held; a pin whose entry is not held yet is a problem too
// (no verifier counts in that district until it arrives). Good pins give
// no line.
func PinProblems(pins Pins, get func(cid.Cid) (protocol.Entry, bool)) []string {
	var out []string
	for _, d := range slices.Sorted(maps.Keys(pins)) {
		e, held := get(pins[d])
		if err := CheckPin(d, pins[d], e, held); err != nil {
			out = append(out, strings.TrimPrefix(err.Error(), ErrBadPin.Error()+": "))
		}
	}
	return out
}

// CheckPins is PinProblems as one error wrapping ErrBadPin, the problems
// joined by "; "; nil when every pin names its district's entry.
func CheckPins(pins Pins, get func(cid.Cid) (protocol.Entry, bool)) error {
	if bad := PinProblems(pins, get); len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrBadPin, strings.Join(bad, "; "))
	}
	return nil
}
