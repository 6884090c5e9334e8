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

// Block is how CheckPins reads a held block: the block with CID c, and
// false when none is held.
type Block func(c cid.Cid) (protocol.Block, bool)

// CheckPin is PinProblems for one pin, as the daemon's start and
// mycel district pin judge it: also the pinned district entry's body must
// check and its name must equal its entry's district. It says what is wrong with pinning district to c, given the block
// held with that CID (held false: none). A good pin names a district
// entry whose body checks, whose name is district and equals its entry's
// district. The error wraps ErrBadPin and says, in one line, what the CID
// is instead.
func CheckPin(district string, c cid.Cid, b protocol.Block, held bool) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: pin %s = %s %s", ErrBadPin, district, c, fmt.Sprintf(format, args...))
	}
	if !held {
		return bad("names no entry held in the vault: import the district's genesis (mycel bundle import) or fix the pin (mycel district pin %s CID)", district)
	}
	if b.Entry.Kind != KindDistrict {
		return bad("names a %s entry (by %s, seq %d), not a district entry: pin the district's genesis (mycel district show %s)", b.Entry.Kind, b.Entry.Author, b.Entry.Seq, district)
	}
	body, err := pinKinds.Decode(b.Entry)
	if err != nil {
		return bad("names a district entry whose body does not check (%v): pin another", err)
	}
	d := body.(*District)
	switch {
	case d.Name != b.Entry.District:
		return bad("names a district entry that counts for no district (its name %q differs from its entry's district %q)", d.Name, b.Entry.District)
	case d.Name != district:
		return bad("names the district entry of %s, not of %s", d.Name, district)
	}
	return nil
}

// pinKinds decodes district entries.
var pinKinds = func() protocol.Kinds {
	k := protocol.DefaultKinds()
	Register(k)
	return k
}()

// CheckPins checks every pin against the blocks get holds, in district
// order, and joins the problems into one error (nil when every pin names
// its district's entry).
func CheckPins(pins Pins, get Block) error {
	var bad []string
	for _, d := range slices.Sorted(maps.Keys(pins)) {
		b, held := get(pins[d])
		if err := CheckPin(d, pins[d], b, held); err != nil {
			bad = append(bad, strings.TrimPrefix(err.Error(), ErrBadPin.Error()+": "))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBadPin, strings.Join(bad, "; "))
}
