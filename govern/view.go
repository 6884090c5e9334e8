package govern

import (
	"bytes"
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// View is the governance view of a set of entries: the district, proposal
// and vote entries among them, judged under pins (which fix each
// district's genesis, as in settle.Rosters) and flags (authors whose
// proposals and votes count for nothing and who hold no role). It is a
// fold: Add takes one record at a time, in any order, and the view is the
// same whatever the order, however the set was split and merged, and
// however often a block came. Entries are identified by protocol.ID: a
// vote linking any block of a proposal votes on that proposal, and the
// view reports a proposal by the smallest CID among its blocks given.
//
// Add costs O(1) amortised; a read after Adds judges again the districts
// they touched, each in O(P log P + V) for its P proposals and V votes.
// The zero value is not usable; call New.
type View struct {
	pins  settle.Pins
	flags settle.Flags
	recs  map[cid.Cid]*settle.Record // every block given that the view reads

	cands     map[string][]*settle.Record // district entries by district
	props     map[protocol.ID]*proposal
	names     map[cid.Cid]protocol.ID      // every proposal block given
	orphans   map[cid.Cid][]*settle.Record // votes by a link that names no proposal given yet
	proposals map[string][]*proposal       // by district

	dirty    map[string]bool             // districts to judge again
	involved map[string]map[peer.ID]bool // per district, the peers whose flag matters there (involve)
	rules    map[string]*Rules
	byCID    map[cid.Cid]*Status // every block of every judged proposal
}

// Rules is what is in force in one district: its genesis's stewards,
// verifiers and credit limits with the ratified changes applied, the MIP
// refs ratified there and not retired since, and every proposal made in
// it, in the order they were judged.
type Rules struct {
	District  string
	Genesis   cid.Cid
	Stewards  []peer.ID // in byte order, flagged authors left out
	Verifiers []peer.ID // in byte order, flagged authors left out
	Limits    map[string]uint64
	MIPs      []string // active MIP refs, sorted
	Retired   []string // MIP refs retired and not activated since, sorted
	Proposals []Status

	rule *settle.Rule // what the verification and settlement views take from these rules
}

// Status is the judgement of one proposal.
type Status struct {
	CID       cid.Cid // the smallest CID among the proposal's blocks given
	ID        protocol.ID
	District  string
	Author    peer.ID
	Time      int64
	Proposal  Proposal
	Yes, No   []peer.ID // the stewards whose counted vote is yes, no; byte order
	Stewards  int       // stewards in force when the proposal was judged
	Threshold int       // yes votes needed: the least y with 3y > 2*Stewards
	Ratified  bool
	Why       string // why it is not ratified; "" when it is
}

// New returns the view of an empty set under pins and flags; neither map
// is written, and neither may change while the view is in use.
func New(pins settle.Pins, flags settle.Flags) *View {
	return &View{
		pins: pins, flags: flags, recs: map[cid.Cid]*settle.Record{},
		cands: map[string][]*settle.Record{}, props: map[protocol.ID]*proposal{},
		names: map[cid.Cid]protocol.ID{}, orphans: map[cid.Cid][]*settle.Record{},
		proposals: map[string][]*proposal{}, dirty: map[string]bool{}, involved: map[string]map[peer.ID]bool{},
		rules: map[string]*Rules{}, byCID: map[cid.Cid]*Status{},
	}
}

// Compute returns the view of records under pins and flags.
func Compute(records []*settle.Record, pins settle.Pins, flags settle.Flags) *View {
	v := New(pins, flags)
	for _, r := range records {
		v.Add(r)
	}
	return v
}

// Add folds r into the view and reports whether it was new to it. Records
// of other kinds, records whose body did not decode or check (Body nil)
// and blocks already given change nothing.
func (v *View) Add(r *settle.Record) bool {
	if r == nil || !read(r) {
		return false
	}
	if _, given := v.recs[r.CID]; given {
		return false
	}
	v.recs[r.CID] = r
	v.index(r)
	return true
}

// Merge folds every block o holds into v; v's pins and flags judge them.
func (v *View) Merge(o *View) {
	for _, r := range o.recs {
		v.Add(r)
	}
}

// read reports whether the view reads r: a well-formed district, proposal
// or vote entry.
func read(r *settle.Record) bool {
	switch r.Body.(type) {
	case *settle.District:
		return r.Entry.Kind == settle.KindDistrict
	case *Proposal:
		return r.Entry.Kind == KindProposal
	case *Vote:
		return r.Entry.Kind == KindVote
	}
	return false
}

// Districts returns the districts with a genesis, sorted.
func (v *View) Districts() []string {
	return slices.Sorted(maps.Keys(v.judged().rules))
}

// Rules returns what is in force in district d; false when d has no
// genesis in the set.
func (v *View) Rules(d string) (Rules, bool) {
	r, ok := v.judged().rules[d]
	if !ok {
		return Rules{}, false
	}
	out := *r
	out.Stewards, out.Verifiers, out.MIPs, out.Retired = slices.Clone(r.Stewards), slices.Clone(r.Verifiers), slices.Clone(r.MIPs), slices.Clone(r.Retired)
	out.Limits = maps.Clone(r.Limits)
	out.Proposals = make([]Status, len(r.Proposals))
	for i, s := range r.Proposals {
		out.Proposals[i] = s.clone()
	}
	return out, true
}

// Ruling returns the rules in force in every district with a genesis, as
// the verification and settlement views take them (settle.VerifyUnder,
// Ledger.SetRules). The result is new on each call and shares nothing
// the view changes later.
func (v *View) Ruling() settle.Rules {
	out := settle.Rules{}
	for d, r := range v.judged().rules {
		out[d] = r.rule
	}
	return out
}

// SetFlags replaces the flagged authors the view judges under (see New):
// the districts where a peer whose flag changed is involved (a steward or
// verifier a genesis candidate lists, a proposal's author or subject, a
// voter) are judged again on the next read; a flag on anyone else costs
// a lookup per district. flags must not change while the view uses it.
func (v *View) SetFlags(flags settle.Flags) {
	old := v.flags
	v.flags = flags
	var changed []peer.ID
	for p := range flags {
		if !old[p] {
			changed = append(changed, p)
		}
	}
	for p := range old {
		if !flags[p] {
			changed = append(changed, p)
		}
	}
	for d, m := range v.involved {
		for _, p := range changed {
			if m[p] {
				v.dirty[d] = true
				break
			}
		}
	}
}

// Proposals returns the proposals of district d in the order they were
// judged.
func (v *View) Proposals(d string) []Status {
	r, _ := v.Rules(d)
	return r.Proposals
}

// Status returns the judgement of the proposal a link to c names (any
// block of it); false when c names no proposal of a district with a
// genesis.
func (v *View) Status(c cid.Cid) (Status, bool) {
	s, ok := v.judged().byCID[c]
	if !ok {
		return Status{}, false
	}
	return s.clone(), true
}

// Active reports whether MIP ref counts in district d: ratified there by
// an activate proposal and not retired by a retire proposal judged later.
func (v *View) Active(d, ref string) bool {
	r, ok := v.judged().rules[d]
	return ok && slices.Contains(r.MIPs, ref)
}

// Stewards returns the stewards in force in district d, in byte order.
func (v *View) Stewards(d string) []peer.ID {
	r, _ := v.Rules(d)
	return r.Stewards
}

// Verifiers returns the verifiers in force in district d, in byte order.
func (v *View) Verifiers(d string) []peer.ID {
	r, _ := v.Rules(d)
	return r.Verifiers
}

// Limits returns the credit limits in force in district d, per unit.
func (v *View) Limits(d string) map[string]uint64 {
	r, _ := v.Rules(d)
	return r.Limits
}

func (s Status) clone() Status {
	s.Yes, s.No = slices.Clone(s.Yes), slices.Clone(s.No)
	s.Proposal.Peer = slices.Clone(s.Proposal.Peer)
	return s
}

func byBytes(a, b peer.ID) int { return strings.Compare(string(a), string(b)) }

// sortedPeers returns the members of set not flagged, in byte order.
func sortedPeers(set map[peer.ID]bool, flags settle.Flags) []peer.ID {
	out := []peer.ID{}
	for p := range set {
		if !flags[p] {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, byBytes)
	return out
}

// canonical orders proposals: time, author bytes, seq, payload digest.
func canonical(a, b *proposal) int {
	x, y := a.rec, b.rec
	return cmp.Or(
		cmp.Compare(x.Entry.Time, y.Entry.Time),
		byBytes(x.Author(), y.Author()),
		cmp.Compare(x.ID.Seq, y.ID.Seq),
		bytes.Compare(x.ID.Digest[:], y.ID.Digest[:]),
	)
}

// Rosters returns the rosters of the districts among recs as the rules
// their votes ratified shape them (settle.RostersOfUnder with Ruling):
// recs holds at least the district, role, proposal and vote entries.
func Rosters(recs []*settle.Record, flags settle.Flags, pins settle.Pins) map[string]*settle.Roster {
	return settle.RostersOfUnder(recs, flags, pins, Compute(recs, pins, flags).Ruling())
}
