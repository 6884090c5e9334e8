package settle

import (
	"bytes"
	"maps"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Pins fixes the genesis of districts by CID, as a node's configuration
// does: with a pin, only the pinned district entry is the genesis. A pin
// names a block; it pins the entry of that block, whichever block of the
// entry a set keeps (see Set.Named), once a set holds the pinned block.
type Pins map[string]cid.Cid

// pinsIn returns pins with each pin that names a held entry replaced by
// the CID of the block s keeps of it.
func pinsIn(s *Set, pins Pins) Pins {
	out, cloned := pins, false
	for d, c := range pins {
		r, ok := s.Named(c)
		if !ok || r.CID == c {
			continue
		}
		if !cloned {
			out, cloned = maps.Clone(pins), true // the caller's map is never written
		}
		out[d] = r.CID
	}
	return out
}

// Roster is who holds which role in a district, as the set says.
type Roster struct {
	District  string
	Genesis   *Record
	Stewards  map[peer.ID]bool
	Verifiers map[peer.ID]bool
	Limits    map[string]uint64 // credit limit per unit; absent is 0

	founders        map[peer.ID]bool // who grants the steward role: the genesis's stewards, or the rule's
	active, retired map[string]bool  // MIP refs by vote (see Counts)
}

// Genesis returns the genesis among the district entries of one district:
// the pinned one if pins names the district, else the one with the
// smallest (time, payload digest): an order of entry identities, so
// replicas holding other blocks of the same entries agree. A district entry counts only when its name equals
// its entry's district.
func Genesis(cands []*Record, pin cid.Cid) *Record {
	var g *Record
	for _, r := range cands {
		d, ok := r.Body.(*District)
		if !ok || d.Name != r.Entry.District {
			continue
		}
		if pin.Defined() {
			if r.CID.Equals(pin) {
				return r
			}
			continue
		}
		if g == nil || earlier(r, g) {
			g = r
		}
	}
	return g
}

func earlier(a, b *Record) bool {
	if a.Entry.Time != b.Entry.Time {
		return a.Entry.Time < b.Entry.Time
	}
	return bytes.Compare(a.ID.Digest[:], b.ID.Digest[:]) < 0 // an identity, not a block
}

// geneses picks the genesis of every district with a district entry
// among the records each visits.
func geneses(each func(func(*Record)), pins Pins) map[string]*Record {
	cands := map[string][]*Record{}
	each(func(r *Record) {
		if _, ok := r.Body.(*District); ok {
			cands[r.Entry.District] = append(cands[r.Entry.District], r)
		}
	})
	out := map[string]*Record{}
	for d, rs := range cands {
		if g := Genesis(rs, pins[d]); g != nil {
			out[d] = g
		}
	}
	return out
}

// Rosters computes the roster of every district that has a genesis.
//
// Stewards are those the genesis lists, plus those granted the steward
// role by a genesis steward, minus those any genesis steward revoked.
// Verifiers are those the genesis lists, plus those granted the verifier
// role by a steward, minus those any steward revoked. A steward's stance
// on (subject, role) is its role entry with the highest seq. Flagged
// authors hold no role and their role entries count for nothing.
func Rosters(s *Set, flags Flags, pins Pins) map[string]*Roster {
	return rosters(s.Each, flags, pinsIn(s, pins), nil)
}

// RostersUnder is Rosters with the rules the districts' votes put in
// force: a district with a Rule grows its roster from the rule's stewards
// and verifiers instead of the genesis's, its stewards by vote grant the
// steward role, the peers the rule unseats hold no role it took from
// them whatever role entries say, and its limits are the rule's.
func RostersUnder(s *Set, flags Flags, pins Pins, rules Rules) map[string]*Roster {
	return rosters(s.Each, flags, pinsIn(s, pins), rules)
}

// RostersOf is Rosters over the district and role entries among recs
// (other entries are passed over): the same rosters as those of any set
// whose district and role entries are recs.
func RostersOf(recs []*Record, flags Flags, pins Pins) map[string]*Roster {
	return RostersOfUnder(recs, flags, pins, nil)
}

// RostersOfUnder is RostersOf with rules, as RostersUnder.
func RostersOfUnder(recs []*Record, flags Flags, pins Pins, rules Rules) map[string]*Roster {
	return rosters(func(fn func(*Record)) {
		for _, r := range recs {
			fn(r)
		}
	}, flags, pins, rules)
}

func rosters(each func(func(*Record)), flags Flags, pins Pins, rules Rules) map[string]*Roster {
	out := map[string]*Roster{}
	for d, g := range geneses(each, pins) {
		body := g.Body.(*District)
		out[d] = &Roster{
			District: d, Genesis: g, Limits: body.Limits,
			Stewards: peers(body.Stewards), Verifiers: peers(body.Verifiers),
		}
		if ru := rules[d]; ru != nil {
			out[d].rule(ru)
		}
	}
	st := stancesOf(each, flags)
	for d, r := range out {
		if r.founders == nil {
			r.founders = r.Stewards
		}
		ru := rules[d]
		r.Stewards = st.apply(d, RoleSteward, r.Stewards, r.founders)
		if ru != nil {
			for _, p := range ru.UnseatedStewards { // before they grant
				delete(r.Stewards, p)
			}
		}
		r.Verifiers = st.apply(d, RoleVerifier, r.Verifiers, r.Stewards)
		if ru != nil {
			for _, p := range ru.UnseatedVerifiers {
				delete(r.Verifiers, p)
			}
		}
		for p := range flags {
			delete(r.Stewards, p)
			delete(r.Verifiers, p)
		}
	}
	return out
}

// rule makes ru the base of the roster: its stewards (who also grant the
// steward role), verifiers, limits and MIPs.
func (ro *Roster) rule(ru *Rule) {
	ro.Stewards, ro.Verifiers = peerSet(ru.Stewards), peerSet(ru.Verifiers)
	ro.founders = peerSet(ru.Stewards)
	ro.Limits = ru.Limits
	ro.active, ro.retired = refSet(ru.MIPs), refSet(ru.Retired)
}

func peers(list [][]byte) map[peer.ID]bool {
	m := make(map[peer.ID]bool, len(list))
	for _, b := range list {
		m[peer.ID(b)] = true
	}
	return m
}
