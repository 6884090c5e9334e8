package settle

import (
	"maps"
	"slices"
	"strings"

	iradix "github.com/hashicorp/go-immutable-radix/v2"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Policy returns how many valid attestations a MIP's proofs need; ok is
// false for a MIP the caller does not know.
type Policy func(ref string) (k int, ok bool)

// Why an attestation does not count toward its proof's policy.
const (
	WhyCounted    = ""
	WhyInvalid    = "verdict invalid"
	WhySuperseded = "superseded by a later attestation of the same verifier"
	WhyAuthor     = "verifier is the proof's author"
	WhyFlagged    = "verifier is flagged for equivocation"
	WhyStranger   = "not a recognised verifier of the district"
)

// Attestation is one attest entry on a proof, with why it does or does
// not count.
type Attestation struct {
	CID      cid.Cid
	Verifier peer.ID
	Seq      uint64
	Verdict  string
	Note     string
	Counted  bool   // a valid verdict that counts toward the policy
	Why      string // WhyCounted, or why not
}

// Status is the verification status of one proof.
type Status struct {
	ID    protocol.ID // the proof's identity, equal on every replica
	Proof cid.Cid     // the block kept of it here; attestations naming any block of it count

	Author       peer.ID
	MIP          string
	District     string
	Claim        map[string]any
	K            int  // attestations the policy needs
	Known        bool // the MIP's policy is known
	InForce      bool // the district counts the MIP: built in and not retired there by vote, or activated there by vote
	Flagged      bool // the proof's author is flagged: never verified
	Valid        int  // counted valid attestations
	Verified     bool // Known, InForce, not Flagged, Valid >= K
	Attestations []Attestation
}

// Verification is the verification view of a set: the status of every
// proof in it.
type Verification struct {
	proofs map[cid.Cid]*Status   // computed or kept up to date; nil in a snapshot
	tree   *iradix.Tree[*Status] // a snapshot's: statuses by CID bytes, never changed
	alias  map[cid.Cid]cid.Cid   // other blocks of proofs, to the kept one (Set.Aliases)
}

// get returns the status of the proof kept as c.
func (v *Verification) get(c cid.Cid) (*Status, bool) {
	if v.tree != nil {
		return v.tree.Get([]byte(c.KeyString()))
	}
	st, ok := v.proofs[c]
	return st, ok
}

// Verify computes the verification view of s. An attestation names its
// proof by the CID of one block; it counts for the proof entry of that
// block, whichever block of it s keeps. A proof is verified when
// its MIP's policy is known and met by K counted attestations: the latest
// attestation (highest seq) of each distinct verifier on the proof, with
// verdict valid, by a recognised verifier of the proof's district (see
// Rosters) who is not the proof's author and is not flagged. Proofs of
// flagged authors are never verified.
func Verify(s *Set, policy Policy, pins Pins) *Verification {
	return VerifyUnder(s, policy, pins, nil)
}

// VerifyUnder is Verify with the rules the districts' votes put in force
// (see RostersUnder): a district's verifiers are those of its rule, and a
// proof verifies only under a MIP its district counts (Roster.Counts).
func VerifyUnder(s *Set, policy Policy, pins Pins, rules Rules) *Verification {
	flags := Flagged(s)
	rosters := RostersUnder(s, flags, pins, rules)
	v := &Verification{proofs: map[cid.Cid]*Status{}, alias: s.Aliases()}
	var attests []*Record
	s.Each(func(r *Record) {
		switch b := r.Body.(type) {
		case *protocol.Proof:
			v.proofs[r.CID] = newStatus(r, b, policy, flags)
		case *protocol.Attest:
			attests = append(attests, r)
		}
	})
	slices.SortFunc(attests, before)
	for _, a := range attests {
		if st := v.proofs[s.keptCID(a.Body.(*protocol.Attest).Proof.Cid)]; st != nil {
			st.Attestations = append(st.Attestations, attestation(a))
		}
	}
	for _, st := range v.proofs {
		st.judge(rosters[st.District], flags)
	}
	return v
}

func newStatus(r *Record, p *protocol.Proof, policy Policy, flags Flags) *Status {
	k, known := policy(p.MIP)
	return &Status{
		ID: r.ID, Proof: r.CID, Author: r.Author(), MIP: p.MIP, District: r.Entry.District,
		Claim: p.Claim, K: max(k, 1), Known: known, Flagged: flags[r.Author()],
	}
}

func attestation(r *Record) Attestation {
	a := r.Body.(*protocol.Attest)
	return Attestation{CID: r.CID, Verifier: r.Author(), Seq: r.ID.Seq, Verdict: a.Verdict, Note: a.Note}
}

// judge decides which attestations count; they arrive in canonical order,
// so a verifier's later attestation follows its earlier ones.
func (st *Status) judge(roster *Roster, flags Flags) {
	latest := map[peer.ID]int{}
	for i, a := range st.Attestations {
		latest[a.Verifier] = i
	}
	for i := range st.Attestations {
		a := &st.Attestations[i]
		switch {
		case latest[a.Verifier] != i:
			a.Why = WhySuperseded
		case a.Verifier == st.Author:
			a.Why = WhyAuthor
		case flags[a.Verifier]:
			a.Why = WhyFlagged
		case roster == nil || !roster.Verifiers[a.Verifier]:
			a.Why = WhyStranger
		case a.Verdict != protocol.Valid:
			a.Why = WhyInvalid
		default:
			a.Counted = true
			st.Valid++
		}
	}
	st.InForce = roster.Counts(st.MIP)
	st.Verified = st.Known && st.InForce && !st.Flagged && st.Valid >= st.K
}

// Status returns the status of proof c, the CID of any block of it the
// set was given; ok is false if c names no proof held.
func (v *Verification) Status(c cid.Cid) (Status, bool) {
	st, ok := v.get(c)
	if !ok {
		if st, ok = v.get(v.alias[c]); !ok {
			return Status{}, false
		}
	}
	return *st, true
}

// All lists the status of every proof, by CID bytes.
func (v *Verification) All() []Status {
	if v.tree != nil {
		out := make([]Status, 0, v.tree.Len())
		for it := v.tree.Root().Iterator(); ; {
			_, st, ok := it.Next()
			if !ok {
				return out
			}
			out = append(out, *st)
		}
	}
	keys := slices.SortedFunc(maps.Keys(v.proofs), func(a, b cid.Cid) int {
		return strings.Compare(a.KeyString(), b.KeyString())
	})
	out := make([]Status, len(keys))
	for i, k := range keys {
		out[i] = *v.proofs[k]
	}
	return out
}

// Verified lists the verified proofs, by CID bytes.
func (v *Verification) Verified() []Status {
	return slices.DeleteFunc(v.All(), func(s Status) bool { return !s.Verified })
}
