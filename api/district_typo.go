package api

import (
	"maps"
	"slices"

	"github.com/mesocosm/mycel/mip"
)

// maxTypo is the edit distance within which a district name with no
// genesis held reads as a typo of one that has.
const maxTypo = 2

// likelyTypo refuses an entry into a district no genesis is held for when
// the name is a near miss of one that is held (meso-valley/nroth for
// meso-valley/north): such an entry would be signed for good and count in
// no district. A name far from every held one passes, since a newcomer
// may write before the district's entry has synced to it.
func (l *Local) likelyTypo(district string) error {
	rs, err := l.rosters()
	if err != nil {
		return err
	}
	if _, ok := rs[district]; ok || district == "" {
		return nil
	}
	near, best := "", maxTypo+1
	for _, name := range slices.Sorted(maps.Keys(rs)) {
		if d := mip.EditDistance(district, name); d < best {
			near, best = name, d
		}
	}
	if near != "" {
		return badInput("no district entry for %s is held here, but one for %s is: did you mean --district %s? (pass --anyway to write into %s anyway)", district, near, near, district)
	}
	return nil
}
