package settle

import (
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Members keeps the rosters of some districts up to date entry by entry,
// as Rosters computes them with no author flagged: who holds a role there
// whatever forks the set holds. An entry costs O(1) unless it changes a
// roster: a district entry that becomes the genesis, or a role entry that
// counts (the steward role by a genesis steward, the verifier role by a
// steward). Then the district's roster is recomputed over its genesis
// and the role entries of its stewards only: role entries by anyone else
// are kept aside (their author may become a steward later) and never
// read until then. A Members is not safe for concurrent use.
type Members struct {
	pins  Pins
	rules Rules
	set   *Set // resolves pins to the kept block of their entry; nil: pins as given
	ds    map[string]*members
}

// pinned returns the pins, each naming the block the set keeps of the
// entry it pins (see Pins).
func (m *Members) pinned() Pins {
	if m.set == nil {
		return m.pins
	}
	return pinsIn(m.set, m.pins)
}

// members is the state of one district.
type members struct {
	gen    *Record
	roles  map[peer.ID][]*Record // role entries in the district, by author
	roster *Roster               // nil without a genesis
}

// NewMembers returns the rosters of districts over an empty set.
func NewMembers(districts []string, pins Pins) *Members {
	m := &Members{pins: pins, ds: map[string]*members{}}
	for _, d := range districts {
		m.ds[d] = &members{roles: map[peer.ID][]*Record{}}
	}
	return m
}

// Add notes r, just inserted into the set (any change but Known), and
// returns who became a steward or verifier of a district because of it.
func (m *Members) Add(r *Record) (gained []peer.ID) {
	name := r.Entry.District
	d := m.ds[name]
	if d == nil {
		return nil
	}
	pins := m.pinned()
	if m.set != nil {
		if kept, ok := m.set.Named(r.CID); ok {
			r = kept // another block of a held entry: the roster reads the kept one
		}
	}
	if !d.note(r, pins[name]) {
		return nil
	}
	return d.recompute(name, pins, m.rules[name])
}

// SetRules puts in force the rules the districts' votes ratified (see
// RostersUnder) and returns who became a steward or verifier of a
// district because of them. The Members keeps rules: the caller must not
// change it.
func (m *Members) SetRules(rules Rules) (gained []peer.ID) {
	old := m.rules
	m.rules = rules
	pins := m.pinned()
	for name, d := range m.ds {
		if !old[name].sameRoles(rules[name]) {
			gained = append(gained, d.recompute(name, pins, rules[name])...)
		}
	}
	return gained
}

// note keeps r and reports whether it may change the roster: a district
// entry that becomes the genesis, or a role entry that counts.
func (d *members) note(r *Record, pin cid.Cid) bool {
	switch b := r.Body.(type) {
	case *District:
		cands := []*Record{r}
		if d.gen != nil {
			cands = append(cands, d.gen)
		}
		g := Genesis(cands, pin)
		changed := g != d.gen
		d.gen = g
		return changed
	case *Role:
		list := d.roles[r.Author()] // in canonical order, as Rosters reads a log
		i, _ := slices.BinarySearchFunc(list, r, before)
		d.roles[r.Author()] = slices.Insert(list, i, r)
		return d.roster != nil && counts(d.roster, r.Author(), b.Role)
	}
	return false
}

// Member reports whether a is a steward or verifier of one of the
// districts.
func (m *Members) Member(a peer.ID) bool {
	for _, d := range m.ds {
		if d.roster != nil && (d.roster.Stewards[a] || d.roster.Verifiers[a]) {
			return true
		}
	}
	return false
}

// recompute computes the roster from the genesis and the role entries of
// the genesis stewards, then of every steward, and returns the new members.
func (d *members) recompute(name string, pins Pins, ru *Rule) []peer.ID {
	old := d.roster
	if d.gen == nil {
		d.roster = nil
		return nil
	}
	recs := []*Record{d.gen}
	founders := peers(d.gen.Body.(*District).Stewards)
	if ru != nil {
		founders = peerSet(ru.Stewards)
	}
	rules := Rules{name: ru}
	if ru == nil {
		rules = nil
	}
	for f := range founders {
		recs = append(recs, d.roles[f]...)
	}
	// Only the founders' stances decide the stewards; the stewards'
	// stances decide the verifiers.
	for s := range RostersOfUnder(recs, nil, pins, rules)[name].Stewards {
		if !founders[s] {
			recs = append(recs, d.roles[s]...)
		}
	}
	d.roster = RostersOfUnder(recs, nil, pins, rules)[name]
	var out []peer.ID
	was := func(p peer.ID) bool { return old != nil && (old.Stewards[p] || old.Verifiers[p]) }
	for p := range d.roster.Stewards {
		if !was(p) {
			out = append(out, p)
		}
	}
	for p := range d.roster.Verifiers {
		if !was(p) && !d.roster.Stewards[p] {
			out = append(out, p)
		}
	}
	return out
}

// counts reports whether a role entry by a on role changes ro when a is
// not flagged: the steward role by a genesis steward, the verifier role
// by a steward.
func counts(ro *Roster, a peer.ID, role string) bool {
	return (role == RoleSteward && founder(ro, a)) || (role == RoleVerifier && ro.Stewards[a])
}

// MembersOf returns the rosters of districts over s, computed once.
func MembersOf(s *Set, districts []string, pins Pins) *Members {
	return MembersOfUnder(s, districts, pins, nil)
}

// MembersOfUnder is MembersOf with rules in force (see SetRules).
func MembersOfUnder(s *Set, districts []string, pins Pins, rules Rules) *Members {
	m := NewMembers(districts, pins)
	m.set, m.rules = s, rules
	pins = m.pinned()
	s.Each(func(r *Record) {
		if d := m.ds[r.Entry.District]; d != nil {
			d.note(r, pins[r.Entry.District])
		}
	})
	for name, d := range m.ds {
		d.recompute(name, pins, rules[name])
	}
	return m
}
