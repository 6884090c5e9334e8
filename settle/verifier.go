package settle

import (
	"maps"
	"slices"
	"strings"

	iradix "github.com/hashicorp/go-immutable-radix/v2"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

// Verifier keeps the verification view of a growing set up to date, entry
// by entry, as Verify computes it from scratch. A proof or an attestation
// costs the attestations on its proof; a flag on an author who holds no
// role costs the proofs that author wrote or attested; a mip entry costs
// O(1), or the proofs under its ref if it changes that ref's policy. An
// entry that may change a roster (a new genesis, a role entry by a
// steward, a flag on a roster member, another block of a proof or district entry) marks the
// view stale, and the next read recomputes it: a burst of them costs
// one recomputation. A Verifier is not safe for concurrent use.
type Verifier struct {
	set    *Set
	policy Policy
	pins   Pins
	rules  Rules

	stale      bool
	view       *Verification
	flags      Flags
	rosters    map[string]*Roster    // of the district and role entries, and flags
	attests    map[cid.Cid][]*Record // by proof, in canonical order
	byAuthor   map[peer.ID][]cid.Cid // proofs by their author
	byMIP      map[string][]cid.Cid  // proofs by the MIP ref they name
	byVerifier map[peer.ID][]cid.Cid // proofs by who attested them
	risen      map[cid.Cid]bool      // proofs verified since the last Risen
	all        bool                  // recomputed since the last Risen

	// The snapshot tree: immutable copies of the statuses as of the last
	// Snapshot, and the proofs whose status changed since (all of them
	// after a rebuild, when pub is nil). A snapshot costs what changed.
	pub   *iradix.Tree[*Status]
	dirty map[cid.Cid]bool
}

// NewVerifier returns the verifier of s, which the caller goes on filling
// (a Ledger's set, say) and reports each insert to Add.
func NewVerifier(s *Set, policy Policy, pins Pins) *Verifier {
	return NewVerifierUnder(s, policy, pins, nil)
}

// NewVerifierUnder is NewVerifier with rules in force (see SetRules).
func NewVerifierUnder(s *Set, policy Policy, pins Pins, rules Rules) *Verifier {
	v := &Verifier{set: s, policy: policy, pins: pins, rules: rules}
	v.rebuild()
	return v
}

// Add updates the view for r, which was just inserted into the set with
// change c.
func (v *Verifier) Add(r *Record, c Change) {
	switch c {
	case Known:
		return
	case Replaced:
		v.stale = true
	case Resigned:
		// Another block of a held entry: attestations naming it, and a pin,
		// now name the entry; nothing else reads which blocks are held.
		switch r.Body.(type) {
		case *protocol.Proof, *District:
			v.stale = true
		}
		return
	}
	v.keepRule(r)
	if v.stale {
		return
	}
	if c == Forked {
		v.flag(r.Author())
	}
	if a, ok := accused(r); ok {
		v.flag(a)
	}
	if r.Entry.Kind == protocol.KindMIP && !v.stale {
		v.remip(r)
	}
	if !v.stale {
		v.insert(r)
	}
}

// remip judges again the proofs under the ref a mip entry defines (proofs
// name versioned refs only), if the policy now says otherwise for it: the
// ref became known, or another definition won it. A mip entry that
// changes no policy of a proof held costs O(1).
func (v *Verifier) remip(r *Record) {
	d, ok := r.Body.(*mip.Doc)
	if !ok {
		v.stale = true // not decoded: what it defines is unknown here
		return
	}
	ref := d.MIP().Ref()
	list := v.byMIP[ref]
	if len(list) == 0 {
		return
	}
	k, known := v.policy(ref)
	if st := v.view.proofs[list[0]]; st.K == max(k, 1) && st.Known == known {
		return // proofs under one ref share their policy
	}
	for _, c := range list {
		st := v.view.proofs[c]
		st.K, st.Known = max(k, 1), known
		v.judge(st)
	}
}

// SetRules puts in force the rules the districts' votes ratified (see
// VerifyUnder); rules that differ from those in force make the view stale.
// The Verifier keeps rules: the caller must not change it.
func (v *Verifier) SetRules(rules Rules) {
	changed := !maps.EqualFunc(rules, v.rules, func(a, b *Rule) bool { return a.sameRoles(b) })
	v.rules = rules
	v.stale = v.stale || changed // a change of limits alone verifies nothing else
}

// Stale reports whether the next read recomputes the view.
func (v *Verifier) Stale() bool { return v.stale }

// Rising reports whether Risen has something to tell.
func (v *Verifier) Rising() bool { return v.stale || v.all || len(v.risen) > 0 }

// Risen returns the proofs that became verified since the last call, in
// CID order, or all true if the view was recomputed meanwhile (any proof
// may have), and starts afresh.
func (v *Verifier) Risen() (proofs []Status, all bool) {
	view := v.View()
	all, v.all = v.all, false
	for c := range v.risen {
		if st := view.proofs[c]; st != nil && st.Verified {
			proofs = append(proofs, *st)
		}
	}
	clear(v.risen)
	slices.SortFunc(proofs, func(a, b Status) int { return strings.Compare(a.Proof.KeyString(), b.Proof.KeyString()) })
	return proofs, all
}

// View returns the current view. It changes with later Adds; Snapshot
// returns one that does not.
func (v *Verifier) View() *Verification {
	if v.stale {
		v.rebuild()
	}
	return v.view
}

// Snapshot returns a copy of the current view that later Adds leave
// alone. It shares what did not change with the previous snapshot, so it
// costs the statuses that changed since (O(log n) each), not the view.
func (v *Verifier) Snapshot() *Verification {
	view := v.View()
	if v.pub == nil {
		txn := iradix.New[*Status]().Txn()
		for c, st := range view.proofs {
			txn.Insert([]byte(c.KeyString()), frozen(st))
		}
		v.pub = txn.Commit()
	} else if len(v.dirty) > 0 {
		txn := v.pub.Txn()
		for c := range v.dirty {
			if st := view.proofs[c]; st != nil {
				txn.Insert([]byte(c.KeyString()), frozen(st))
			} else {
				txn.Delete([]byte(c.KeyString()))
			}
		}
		v.pub = txn.Commit()
	}
	clear(v.dirty)
	return &Verification{tree: v.pub, alias: v.set.Aliases()}
}

// frozen copies st for a snapshot.
func frozen(st *Status) *Status {
	cp := *st
	cp.Attestations = slices.Clone(st.Attestations)
	return &cp
}

// Drop forgets the proofs risen since the last Risen without reading the
// view: a node that owes no receipt has no use for them, and a stale view
// stays stale until something reads it.
func (v *Verifier) Drop() {
	v.all = false
	clear(v.risen)
}

// keepRule makes the view stale for a district or role entry that
// changes a roster.
func (v *Verifier) keepRule(r *Record) {
	switch b := r.Body.(type) {
	case *District:
		g := v.rosters[r.Entry.District]
		var old *Record
		if g != nil {
			old = g.Genesis
		}
		cands := []*Record{r}
		if old != nil {
			cands = append(cands, old)
		}
		d := r.Entry.District
		v.stale = v.stale || Genesis(cands, pinsIn(v.set, Pins{d: v.pins[d]})[d]) != old
	case *Role:
		ro, a := v.rosters[r.Entry.District], r.Author()
		v.stale = v.stale || (ro != nil && !v.flags[a] && counts(ro, a, b.Role))
	}
}

// founder reports whether p grants the steward role: a steward the
// genesis lists, or under a rule one of the rule's stewards.
func founder(ro *Roster, p peer.ID) bool { return ro.founders[p] }

// flag flags a: the proofs a wrote or attested are judged again, or, if a
// holds or grants a role somewhere, the view goes stale.
func (v *Verifier) flag(a peer.ID) {
	if v.flags[a] {
		return
	}
	v.flags[a] = true
	for _, ro := range v.rosters {
		if ro.Stewards[a] || ro.Verifiers[a] || founder(ro, a) {
			v.stale = true
		}
	}
	if v.stale {
		return
	}
	for _, c := range v.byAuthor[a] {
		if st := v.view.proofs[c]; st != nil {
			st.Flagged = true
			v.judge(st)
		}
	}
	for _, c := range v.byVerifier[a] {
		if st := v.view.proofs[c]; st != nil {
			v.judge(st)
		}
	}
}

// insert adds a proof or an attestation to the view.
func (v *Verifier) insert(r *Record) {
	switch b := r.Body.(type) {
	case *protocol.Proof:
		st := newStatus(r, b, v.policy, v.flags)
		v.view.proofs[r.CID] = st
		v.byAuthor[r.Author()] = append(v.byAuthor[r.Author()], r.CID)
		v.byMIP[b.MIP] = append(v.byMIP[b.MIP], r.CID)
		v.judge(st)
	case *protocol.Attest:
		p := v.set.keptCID(b.Proof.Cid)
		list := v.attests[p]
		i, _ := slices.BinarySearchFunc(list, r, before)
		v.attests[p] = slices.Insert(list, i, r)
		v.byVerifier[r.Author()] = append(v.byVerifier[r.Author()], p)
		if st := v.view.proofs[p]; st != nil {
			v.judge(st)
		}
	}
}

// judge recomputes the attestations of st from scratch.
func (v *Verifier) judge(st *Status) {
	v.dirty[st.Proof] = true
	was := st.Verified
	st.Attestations, st.Valid = nil, 0
	for _, a := range v.attests[st.Proof] {
		st.Attestations = append(st.Attestations, attestation(a))
	}
	st.judge(v.rosters[st.District], v.flags)
	if st.Verified && !was {
		v.risen[st.Proof] = true
	}
}

// rebuild recomputes the view and its indexes from the set.
func (v *Verifier) rebuild() {
	v.stale, v.all, v.risen = false, true, map[cid.Cid]bool{}
	v.pub, v.dirty = nil, map[cid.Cid]bool{}
	v.view = VerifyUnder(v.set, v.policy, v.pins, v.rules)
	v.flags = Flagged(v.set)
	var rules []*Record
	v.attests = map[cid.Cid][]*Record{}
	v.byAuthor = map[peer.ID][]cid.Cid{}
	v.byMIP = map[string][]cid.Cid{}
	v.byVerifier = map[peer.ID][]cid.Cid{}
	v.set.Each(func(r *Record) {
		switch b := r.Body.(type) {
		case *District, *Role:
			rules = append(rules, r)
		case *protocol.Proof:
			v.byAuthor[r.Author()] = append(v.byAuthor[r.Author()], r.CID)
			v.byMIP[b.MIP] = append(v.byMIP[b.MIP], r.CID)
		case *protocol.Attest:
			p := v.set.keptCID(b.Proof.Cid)
			v.attests[p] = append(v.attests[p], r)
			v.byVerifier[r.Author()] = append(v.byVerifier[r.Author()], p)
		}
	})
	for _, list := range v.attests {
		slices.SortFunc(list, before)
	}
	v.rosters = RostersOfUnder(rules, v.flags, pinsIn(v.set, v.pins), v.rules)
}
