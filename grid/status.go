package grid

import (
	"bytes"
	"cmp"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// State is where a job stands.
type State int

const (
	// Pending: no agreement yet, and fewer than Replicas answers counted.
	Pending State = iota
	// Verified: a strict majority of Replicas agree on (output, exit),
	// and no other group is as large.
	Verified
	// Disputed: at least Replicas answers counted and no agreement.
	// More answers may still verify the job.
	Disputed
)

func (s State) String() string { return [...]string{"pending", "verified", "disputed"}[s] }

// Why a result does not count as its provider's answer to the job.
const (
	WhyCounted   = ""
	WhyRequester = "provider is the job's requester"
	WhyStranger  = "provider wrote no offer"
	WhyLater     = "a later result of the same provider, equal to its first"
	WhyTwice     = "provider answered the job twice with different results"
)

// Answer is one result entry on a job, with whether it counts.
type Answer struct {
	CID        cid.Cid
	Provider   peer.ID
	Seq        uint64
	Output     cid.Cid
	OutputSize uint64
	Exit       uint32
	DurationMS uint64
	Fuel       uint64
	Error      string
	Counted    bool   // the provider's one answer to the job
	Agrees     bool   // counted and in the verified majority
	Why        string // WhyCounted, or why not
}

// Group is a set of counted, successful answers that agree on output
// and exit code.
type Group struct {
	Output    cid.Cid
	Exit      uint32
	Providers []peer.ID // in byte order
}

// Status is the verification status of one job. Its slices are shared
// with the view: read them, do not modify them.
type Status struct {
	ID        protocol.ID
	CID       cid.Cid // the smallest CID of the job's blocks
	Requester peer.ID
	Job       Job
	Answers   []Answer // every result naming the job, by provider bytes, seq, digest
	Groups    []Group  // largest first, then by output CID bytes, then exit
	Counted   int      // answers counted, failed ones included
	State     State
	Output    cid.Cid // the verified output; undefined unless Verified
	Exit      uint32  // the verified exit code
	Majority  []peer.ID
	Minority  []peer.ID // counted successful answers outside the majority of a verified job
	Failed    []peer.ID // counted answers that report an error
	Twice     []peer.ID // providers that answered twice with different results
}

// Flagged lists the providers flagged on the job: the minority and those
// that answered twice, in byte order.
func (s Status) Flagged() []peer.ID {
	out := slices.Concat(s.Minority, s.Twice)
	slices.SortFunc(out, byBytes)
	return slices.Compact(out)
}

// Status returns the status of the job that c (any block of it) names.
func (v *View) Status(c cid.Cid) (Status, bool) {
	e, ok := v.job(c)
	if !ok {
		return Status{}, false
	}
	return *v.status(e), true
}

// Jobs lists the status of every job, by CID bytes.
func (v *View) Jobs() []Status { return v.statuses(maps.Values(v.jobs)) }

// Asked lists the status of every job of requester, by CID bytes.
func (v *View) Asked(requester peer.ID) []Status {
	return v.statuses(slices.Values(v.asked[requester]))
}

func (v *View) statuses(jobs iter.Seq[*entry]) []Status {
	var sts []*Status
	for e := range jobs {
		sts = append(sts, v.status(e))
	}
	slices.SortFunc(sts, func(a, b *Status) int { return strings.Compare(a.CID.KeyString(), b.CID.KeyString()) })
	out := make([]Status, len(sts))
	for i, st := range sts {
		out[i] = *st
	}
	return out
}

func (v *View) status(e *entry) *Status {
	st, ok := v.judged[e.ID()]
	if !ok {
		st = v.judge(e)
		v.judged[e.ID()] = st
	}
	return st
}

// judge computes a job's status from the results naming any block of it.
func (v *View) judge(je *entry) *Status {
	j := je.Rec().Body.(*Job)
	st := &Status{ID: je.ID(), CID: je.CID, Requester: je.Rec().Author(), Job: *j}
	rs := v.results(je)
	st.Answers = make([]Answer, 0, len(rs))
	for _, e := range rs {
		r := e.Rec().Body.(*Result)
		st.Answers = append(st.Answers, Answer{
			CID: e.CID, Provider: e.Rec().Author(), Seq: e.ID().Seq, Output: r.Output.Cid,
			OutputSize: r.OutputSize, Exit: r.Exit, DurationMS: r.DurationMS, Fuel: r.Fuel, Error: r.Error,
		})
	}
	st.count(v)
	st.vote()
	return st
}

// results lists the result entries naming a block of je, in canonical
// order: provider bytes, seq, digest.
func (v *View) results(je *entry) []*entry {
	var out []*entry
	for _, b := range je.Blocks {
		out = append(out, v.answers[b.CID]...) // one entry per ID under each link
	}
	slices.SortFunc(out, func(a, b *entry) int { return canonical(a.ID(), b.ID()) })
	if len(je.Blocks) > 1 { // a result under links to two blocks of the job: two results
		out = slices.CompactFunc(out, func(a, b *entry) bool { return a == b })
	}
	return out
}

// count decides which answers count: each provider's first, unless the
// provider is the requester, wrote no offer, or answered again with a
// different (output, exit, error).
func (st *Status) count(v *View) {
	first := map[peer.ID]int{}
	for i := range st.Answers {
		a := &st.Answers[i]
		f, seen := first[a.Provider]
		switch {
		case a.Provider == st.Requester:
			a.Why = WhyRequester
		case !v.offerer(a.Provider):
			a.Why = WhyStranger
		case !seen:
			first[a.Provider] = i
			a.Counted = true
		case same(st.Answers[f], *a):
			a.Why = WhyLater
		default:
			a.Why = WhyTwice
			if st.Answers[f].Counted {
				st.Answers[f].Counted, st.Answers[f].Why = false, WhyTwice
				st.Twice = append(st.Twice, a.Provider)
			}
		}
	}
}

func same(a, b Answer) bool {
	return a.Output.Equals(b.Output) && a.Exit == b.Exit && a.Error == b.Error
}

// vote groups the counted answers and decides the state.
func (st *Status) vote() {
	type key struct {
		output string
		exit   uint32
	}
	groups := map[key]*Group{}
	for _, a := range st.Answers {
		if !a.Counted {
			continue
		}
		st.Counted++
		if a.Error != "" {
			st.Failed = append(st.Failed, a.Provider)
			continue
		}
		k := key{a.Output.KeyString(), a.Exit}
		g, ok := groups[k]
		if !ok {
			g = &Group{Output: a.Output, Exit: a.Exit}
			groups[k] = g
		}
		g.Providers = append(g.Providers, a.Provider)
	}
	for _, g := range groups {
		st.Groups = append(st.Groups, *g)
	}
	slices.SortFunc(st.Groups, func(a, b Group) int {
		return cmp.Or(cmp.Compare(len(b.Providers), len(a.Providers)),
			strings.Compare(a.Output.KeyString(), b.Output.KeyString()), cmp.Compare(a.Exit, b.Exit))
	})
	if lead := st.leader(); lead != nil {
		st.State, st.Output, st.Exit, st.Majority = Verified, lead.Output, lead.Exit, lead.Providers
		st.mark(lead)
	} else if st.Counted >= int(st.Job.Replicas) {
		st.State = Disputed
	}
}

// leader returns the group that verifies the job: a strict majority of
// Replicas, larger than any other group.
func (st *Status) leader() *Group {
	if len(st.Groups) == 0 || len(st.Groups[0].Providers) < st.Job.Majority() {
		return nil
	}
	if len(st.Groups) > 1 && len(st.Groups[1].Providers) == len(st.Groups[0].Providers) {
		return nil
	}
	return &st.Groups[0]
}

// mark sets Agrees on the majority's answers and lists the minority.
func (st *Status) mark(lead *Group) {
	for i := range st.Answers {
		a := &st.Answers[i]
		if !a.Counted || a.Error != "" {
			continue
		}
		if a.Output.Equals(lead.Output) && a.Exit == lead.Exit {
			a.Agrees = true
		} else {
			st.Minority = append(st.Minority, a.Provider)
		}
	}
}

// canonical orders identities: author bytes, seq, digest.
func canonical(a, b protocol.ID) int {
	return cmp.Or(strings.Compare(string(a.Author), string(b.Author)), cmp.Compare(a.Seq, b.Seq),
		bytes.Compare(a.Digest[:], b.Digest[:]))
}

func byBytes(a, b peer.ID) int { return strings.Compare(string(a), string(b)) }
