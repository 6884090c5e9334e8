package settle

import (
	"maps"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip"
)

// Rule is what the ratified proposals of one district put in force
// (package govern judges them; docs/PROTOCOL.md §8.9): the base its
// roster grows from in place of the genesis's lists, its credit limits,
// and the MIP versions it counts besides the built-in ones.
type Rule struct {
	// Stewards and Verifiers are the genesis's lists with the ratified
	// additions and removals applied, flagged authors included (a roster
	// leaves them out). The stewards grant the steward role by role
	// entries, as the genesis stewards do without a rule.
	Stewards, Verifiers []peer.ID
	// Unseated lists, per role, the peers a ratified proposal removed and
	// no later one added again: no role entry gives them that role back.
	UnseatedStewards, UnseatedVerifiers []peer.ID
	Limits                              map[string]uint64
	// MIPs are the refs activated by vote and not retired since; Retired
	// the refs retired by vote and not activated since.
	MIPs, Retired []string
}

// Rules is the Rule of each district that has one; a district without
// one is ruled by its genesis and role entries alone.
type Rules map[string]*Rule

// Equal reports whether r and o put the same rules in force.
func (r Rules) Equal(o Rules) bool {
	return maps.EqualFunc(r, o, func(a, b *Rule) bool { return a.sameRoles(b) && maps.Equal(a.Limits, b.Limits) })
}

// sameRoles reports whether r and o give the same rosters and MIPs,
// whatever their limits: what verification reads of a rule. Two nil rules
// are the same; a nil and a non-nil one are not.
func (r *Rule) sameRoles(o *Rule) bool {
	if r == nil || o == nil {
		return r == o
	}
	return slices.Equal(r.Stewards, o.Stewards) && slices.Equal(r.Verifiers, o.Verifiers) &&
		slices.Equal(r.UnseatedStewards, o.UnseatedStewards) && slices.Equal(r.UnseatedVerifiers, o.UnseatedVerifiers) &&
		slices.Equal(r.MIPs, o.MIPs) && slices.Equal(r.Retired, o.Retired)
}

// Counts reports whether proofs under MIP ref can verify in the roster's
// district: a built-in MIP its votes did not retire, or one they
// activated. A nil roster (a district without a genesis) counts the
// built-in ones.
func (ro *Roster) Counts(ref string) bool {
	if ro == nil {
		return mip.Builtin(ref)
	}
	if ro.active[ref] {
		return true
	}
	return !ro.retired[ref] && mip.Builtin(ref)
}

// Founder reports whether p grants the steward role in the district:
// one of the genesis's stewards, or under a rule one of the rule's.
func (ro *Roster) Founder(p peer.ID) bool { return ro.founders[p] }

func refSet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}

func peerSet(list []peer.ID) map[peer.ID]bool {
	m := make(map[peer.ID]bool, len(list))
	for _, p := range list {
		m[p] = true
	}
	return m
}
