package arena

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// State is where a problem stands.
type State int

const (
	// Open: no accept decides it, and its deadline has not passed.
	Open State = iota
	// Solved: an accept decides it (see View.Status).
	Solved
	// Expired: its deadline has passed and no accept decides it.
	Expired
)

func (s State) String() string { return [...]string{"open", "solved", "expired"}[s] }

// At is what a read judges problems at: the time and the stewards of
// each district. Both come from outside, so that the view stays pure.
type At struct {
	Now      int64                                  // unix ms
	Stewards func(district string) map[peer.ID]bool // nil: no district has stewards
}

// StewardsOf returns the stewards of each district as rosters say.
func StewardsOf(rosters map[string]*settle.Roster) func(string) map[peer.ID]bool {
	return func(d string) map[peer.ID]bool {
		if r, ok := rosters[d]; ok {
			return r.Stewards
		}
		return nil
	}
}

func (at At) steward(district string, p peer.ID) bool {
	return at.Stewards != nil && at.Stewards(district)[p]
}

// SolutionInfo is one solution entry of a problem.
type SolutionInfo struct {
	CID      cid.Cid
	Solver   peer.ID
	Seq      uint64
	Time     int64
	Summary  string
	Accepted bool   // a share of the deciding accept names it
	Share    uint64 // what the bounty may pay it: its share, cut to what the bounty has left
}

// Decision is the accept that decides a problem.
type Decision struct {
	CID     cid.Cid
	Author  peer.ID
	Seq     uint64
	Steward bool // written by a steward past the deadline, not by the poster
}

// Status is the judgement of one problem at an At.
type Status struct {
	ID       protocol.ID // the problem's identity, equal on every replica
	CID      cid.Cid     // the smallest CID of its blocks held here
	Poster   peer.ID
	District string
	Time     int64 // the poster's claimed time of the entry
	Problem  Problem
	State    State
	Accept   *Decision      // the deciding accept; nil unless Solved
	Accepts  int            // accept entries linking the problem, counted or not
	Solved   []SolutionInfo // the accepted solutions, in the accept's share order
	All      []SolutionInfo // every solution of the problem, by (time, CID bytes)
}

// Status judges the problem c names (any block of it) at at; ok is false
// if c names no problem held.
//
// The deciding accept is, of the accept entries linking the problem, the
// poster's with the lowest seq (of two at one seq, the smaller payload
// digest); when the poster wrote none, and the problem has a deadline
// that has passed at at.Now, the accept of a steward of the problem's
// district (at.Stewards) whose entry time is at or past the deadline
// with the smallest (time, payload digest). Other accepts change
// nothing. A share of the deciding accept counts when it names a
// solution held of this very problem, not written by the poster, and
// not named by an earlier share.
func (v *View) Status(c cid.Cid, at At) (Status, bool) {
	e, ok := v.set.Named(c)
	if !ok {
		return Status{}, false
	}
	if _, ok := e.Rec().Body.(*Problem); !ok {
		return Status{}, false
	}
	return v.judge(e, at), true
}

// Problems judges every problem at at, by CID bytes.
func (v *View) Problems(at At) []Status {
	out := make([]Status, 0, len(v.problems))
	for _, e := range v.problems {
		out = append(out, v.judge(e, at))
	}
	slices.SortFunc(out, func(a, b Status) int { return bytes.Compare(a.CID.Bytes(), b.CID.Bytes()) })
	return out
}

// Feed is the problem feed of a district ("" the global scope): its
// problems, newest first (by entry time, then CID bytes).
func (v *View) Feed(district string, at At) []Status {
	return newest(slices.DeleteFunc(v.Problems(at), func(s Status) bool { return s.District != district }))
}

// InDomain lists the problems of a MIP domain, newest first. A domain
// names its MIP id with or without a version: "MIP-AGR" lists the
// problems of every version, "MIP-AGR@1" those of that version and
// those naming the id alone.
func (v *View) InDomain(domain string, at At) []Status {
	return newest(slices.DeleteFunc(v.Problems(at), func(s Status) bool {
		return DomainID(s.Problem.Domain) != DomainID(domain) ||
			strings.Contains(domain, "@") && strings.Contains(s.Problem.Domain, "@") && s.Problem.Domain != domain
	}))
}

func newest(out []Status) []Status {
	slices.SortStableFunc(out, func(a, b Status) int { return cmp.Compare(b.Time, a.Time) })
	return out
}

// judge gives the status of the problem entry e at at.
func (v *View) judge(e *entry, at At) Status {
	r := e.Rec()
	p := r.Body.(*Problem)
	st := Status{
		ID: r.ID, CID: e.CID, Poster: r.Author(), District: r.Entry.District, Time: r.Entry.Time,
		Problem: *p,
	}
	sols := v.linking(v.solutions, e)
	for _, s := range sols {
		st.All = append(st.All, info(s))
	}
	slices.SortFunc(st.All, func(a, b SolutionInfo) int {
		return cmp.Or(cmp.Compare(a.Time, b.Time), bytes.Compare(a.CID.Bytes(), b.CID.Bytes()))
	})
	accepts := v.linking(v.accepts, e)
	st.Accepts = len(accepts)
	d := v.decide(&st, accepts, at)
	if d == nil {
		if p.Passed(at.Now) {
			st.State = Expired
		}
		return st
	}
	st.State = Solved
	st.Accept = &Decision{CID: d.CID, Author: d.Rec().Author(), Seq: d.Rec().ID.Seq, Steward: d.Rec().Author() != st.Poster}
	a := d.Rec().Body.(*Accept)
	allowed := a.Allowed(p.Bounty)
	seen := map[protocol.ID]bool{}
	for i, sh := range a.Shares {
		s, ok := v.set.Named(sh.Solution.Cid)
		if !ok {
			continue
		}
		body, ok := s.Rec().Body.(*Solution)
		if !ok || s.Rec().Author() == st.Poster || seen[s.Rec().ID] {
			continue
		}
		if pe, ok := v.set.Named(body.Problem.Cid); !ok || pe != e {
			continue
		}
		seen[s.Rec().ID] = true
		si := info(s)
		si.Accepted, si.Share = true, allowed[i]
		st.Solved = append(st.Solved, si)
		for j := range st.All {
			if st.All[j].CID == si.CID {
				st.All[j].Accepted, st.All[j].Share = true, si.Share
			}
		}
	}
	return st
}

// decide returns the deciding accept among accepts, or nil.
func (v *View) decide(st *Status, accepts []*entry, at At) *entry {
	var best *entry
	for _, a := range accepts {
		if a.Rec().Author() == st.Poster && (best == nil || earlierSeq(a.Rec(), best.Rec())) {
			best = a
		}
	}
	if best != nil || !st.Problem.Passed(at.Now) {
		return best
	}
	for _, a := range accepts {
		r := a.Rec()
		if r.Entry.Time < st.Problem.Deadline || !at.steward(st.District, r.Author()) {
			continue
		}
		if best == nil || earlierTime(r, best.Rec()) {
			best = a
		}
	}
	return best
}

func earlierSeq(a, b *settle.Record) bool {
	if a.ID.Seq != b.ID.Seq {
		return a.ID.Seq < b.ID.Seq
	}
	return bytes.Compare(a.ID.Digest[:], b.ID.Digest[:]) < 0
}

func earlierTime(a, b *settle.Record) bool {
	if a.Entry.Time != b.Entry.Time {
		return a.Entry.Time < b.Entry.Time
	}
	return bytes.Compare(a.ID.Digest[:], b.ID.Digest[:]) < 0
}

func info(e *entry) SolutionInfo {
	r := e.Rec()
	return SolutionInfo{
		CID: e.CID, Solver: r.Author(), Seq: r.ID.Seq, Time: r.Entry.Time,
		Summary: r.Body.(*Solution).Summary,
	}
}
