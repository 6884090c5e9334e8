package api

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// ArenaMesh is the running daemon's part of the arena: reading another
// district's arena entries from peers found in the DHT. Nil without one.
type ArenaMesh interface {
	Browse(ctx context.Context, district, kind string, limit int) ([]protocol.Block, error)
}

// ProblemRequest is the body of POST /v1/problems.
type ProblemRequest struct {
	District    string `json:"district"`
	MIP         string `json:"mip"` // the domain: MIP-AGR or MIP-AGR@1
	Title       string `json:"title"`
	Description string `json:"description"`
	Criteria    string `json:"criteria"`
	Bounty      uint64 `json:"bounty"`
	Unit        string `json:"unit"`
	Deadline    int64  `json:"deadline"` // unix ms; 0 none
}

// SolveRequest is the body of POST /v1/solutions.
type SolveRequest struct {
	Problem   string   `json:"problem"`
	Summary   string   `json:"summary"`
	Artifacts []string `json:"artifacts"` // CIDs
	Proofs    []string `json:"proofs"`    // CIDs of proof entries
}

// AcceptRequest is the body of POST /v1/accepts: the solutions accepted
// and each one's share of the bounty (0: what the bounty has left).
type AcceptRequest struct {
	Shares []AcceptShare `json:"shares"`
}

// AcceptShare is one accepted solution.
type AcceptShare struct {
	Solution string `json:"solution"`
	Share    uint64 `json:"share"`
}

// ProblemQuery filters problems: District and MIP (a domain id or ref)
// match when empty; Open keeps the open ones.
type ProblemQuery struct {
	District string `json:"district"`
	MIP      string `json:"mip"`
	Open     bool   `json:"open"`
}

// ProblemRow is one problem and its status.
type ProblemRow struct {
	CID       string          `json:"cid"`
	Poster    string          `json:"poster"`
	District  string          `json:"district"`
	MIP       string          `json:"mip"`
	Title     string          `json:"title"`
	Criteria  string          `json:"criteria"`
	Bounty    uint64          `json:"bounty"`
	Unit      string          `json:"unit"`
	Deadline  int64           `json:"deadline"`
	Status    string          `json:"status"` // open | solved | expired
	Solutions []SolutionRow   `json:"solutions"`
	Browsed   bool            `json:"browsed,omitempty"` // read from another district's peers, not held
	Accept    *arena.Decision `json:"-"`
}

// SolutionRow is one solution of a problem.
type SolutionRow struct {
	CID      string `json:"cid"`
	Solver   string `json:"solver"`
	Summary  string `json:"summary"`
	Accepted bool   `json:"accepted"`
	Share    uint64 `json:"share"`
}

// PostProblem appends a problem entry.
func (l *Local) PostProblem(ctx context.Context, req ProblemRequest) (Written, error) {
	p := &arena.Problem{Domain: req.MIP, Title: req.Title, Description: req.Description, Criteria: req.Criteria,
		Bounty: req.Bounty, Unit: req.Unit, Deadline: req.Deadline}
	if err := p.Check(); err != nil {
		return Written{}, badInput("problem: %v", err)
	}
	return l.write(ctx, arena.KindProblem, req.District, p)
}

// Solve appends a solution of a problem held, in the problem's district.
func (l *Local) Solve(ctx context.Context, req SolveRequest) (Written, error) {
	pb, err := l.heldEntry(req.Problem, arena.KindProblem, "solve")
	if err != nil {
		return Written{}, err
	}
	s := &arena.Solution{Problem: protocol.LinkTo(pb.CID), Summary: req.Summary, Artifacts: []protocol.Link{}, Proofs: []protocol.Link{}}
	for _, a := range req.Artifacts {
		c, err := ParseCID(a)
		if err != nil {
			return Written{}, err
		}
		s.Artifacts = append(s.Artifacts, protocol.LinkTo(c))
	}
	for _, p := range req.Proofs {
		c, err := ParseCID(p)
		if err != nil {
			return Written{}, err
		}
		s.Proofs = append(s.Proofs, protocol.LinkTo(c))
	}
	if err := s.Check(); err != nil {
		return Written{}, badInput("solution: %v", err)
	}
	return l.write(ctx, arena.KindSolution, pb.Entry.District, s)
}

// Accept appends an accept of solutions of one problem held, which must
// be this peer's: an accept by anyone else counts only past the
// deadline, from a steward, and Accept refuses to write one that would
// not count before it.
func (l *Local) Accept(ctx context.Context, req AcceptRequest) (Written, error) {
	if len(req.Shares) == 0 {
		return Written{}, badInput("accept: name at least one solution")
	}
	var problem protocol.Block
	a := &arena.Accept{}
	for _, sh := range req.Shares {
		sb, err := l.heldEntry(sh.Solution, arena.KindSolution, "accept")
		if err != nil {
			return Written{}, err
		}
		var s arena.Solution
		if err := protocol.Unmarshal(sb.Entry.Body, &s); err != nil {
			return Written{}, badInput("solution %s: %v", sb.CID, err)
		}
		pb, err := l.Vault.Get(s.Problem.Cid)
		if err != nil {
			return Written{}, notFound("the problem %s of solution %s is not in the vault: sync it first", s.Problem.Cid, sb.CID)
		}
		if problem.CID.Defined() && !problem.CID.Equals(pb.CID) {
			return Written{}, badInput("the solutions answer different problems: accept each problem's apart")
		}
		problem = pb
		a.Problem = protocol.LinkTo(pb.CID)
		a.Shares = append(a.Shares, arena.Share{Solution: protocol.LinkTo(sb.CID), Share: sh.Share})
	}
	var p arena.Problem
	if err := protocol.Unmarshal(problem.Entry.Body, &p); err != nil {
		return Written{}, badInput("problem %s: %v", problem.CID, err)
	}
	if problem.Entry.Author != l.Vault.ID() {
		return Written{}, badInput("problem %s is %s's: only its poster's accept pays (a steward's only past its deadline)", problem.CID, problem.Entry.Author)
	}
	left := p.Bounty
	for i := range a.Shares {
		if a.Shares[i].Share == 0 {
			a.Shares[i].Share = left
		}
		left -= min(left, a.Shares[i].Share)
	}
	if err := a.Check(); err != nil {
		return Written{}, badInput("accept: %v", err)
	}
	return l.write(ctx, arena.KindAccept, problem.Entry.District, a)
}

// heldEntry returns the held entry c names, which must be of kind.
func (l *Local) heldEntry(c, kind, what string) (protocol.Block, error) {
	id, err := ParseCID(c)
	if err != nil {
		return protocol.Block{}, err
	}
	b, err := l.Vault.Get(id)
	switch {
	case errors.Is(err, vault.ErrNotFound):
		return protocol.Block{}, notFound("%s: no entry %s in the vault: sync it first (mycel problems lists the problems held)", what, id)
	case err != nil:
		return protocol.Block{}, fmt.Errorf("get %s: %w", id, err)
	case b.Entry.Kind != kind:
		return protocol.Block{}, badInput("%s: %s is a %s entry, not a %s", what, id, b.Entry.Kind, kind)
	}
	return b, nil
}

// Problems lists the problems held that q selects, newest first; with a
// daemon and a district none of whose problems is held, it reads them
// from that district's peers found in the DHT (browsing stores nothing itself).
func (l *Local) Problems(ctx context.Context, q ProblemQuery) ([]ProblemRow, error) {
	if q.District != "" && !protocol.ValidDistrict(q.District) {
		return nil, badInput("district %q is not a lowercase path like meso-valley/north", q.District)
	}
	recs, err := l.heldAll(arena.KindProblem, arena.KindSolution, arena.KindAccept, settle.KindDistrict, settle.KindRole, govern.KindProposal, govern.KindVote)
	if err != nil {
		return nil, err
	}
	browsed := false
	if q.District != "" && l.Arena != nil && !slices.ContainsFunc(recs, func(r *settle.Record) bool {
		return r.Entry.Kind == arena.KindProblem && r.Entry.District == q.District
	}) {
		k := entryKinds()
		for _, kind := range []string{arena.KindProblem, arena.KindSolution, arena.KindAccept} {
			blocks, err := l.Arena.Browse(ctx, q.District, kind, 1000)
			if err != nil {
				return nil, fmt.Errorf("browse %s: %w", q.District, err)
			}
			for _, b := range blocks {
				recs = append(recs, settle.Decode(k, b))
			}
		}
		browsed = true
	}
	v := arena.Compute(recs)
	at := l.arenaAt(recs)
	out := []ProblemRow{}
	for _, st := range v.Problems(at) {
		switch {
		case q.District != "" && st.District != q.District,
			q.MIP != "" && st.Problem.Domain != q.MIP && st.Problem.DomainID() != arena.DomainID(q.MIP),
			q.Open && st.State != arena.Open:
			continue
		}
		row := problemRow(st)
		row.Browsed = browsed
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b ProblemRow) int { return strings.Compare(b.CID, a.CID) })
	return out, nil
}

// Problem returns one problem held and its solutions.
func (l *Local) Problem(ctx context.Context, c string) (ProblemRow, error) {
	id, err := ParseCID(c)
	if err != nil {
		return ProblemRow{}, err
	}
	recs, err := l.heldAll(arena.KindProblem, arena.KindSolution, arena.KindAccept, settle.KindDistrict, settle.KindRole, govern.KindProposal, govern.KindVote)
	if err != nil {
		return ProblemRow{}, err
	}
	st, ok := arena.Compute(recs).Status(id, l.arenaAt(recs))
	if !ok {
		return ProblemRow{}, notFound("no problem %s in the vault: mycel problems lists the problems held", id)
	}
	return problemRow(st), nil
}

// arenaAt is now, with the stewards the rosters of recs name.
func (l *Local) arenaAt(recs []*settle.Record) arena.At {
	flags := settle.Flags{}
	for _, f := range l.flagged() {
		flags[f] = true
	}
	return arena.At{Now: l.now().UnixMilli(), Stewards: arena.StewardsOf(govern.Rosters(recs, flags, l.Pins))}
}

func problemRow(st arena.Status) ProblemRow {
	row := ProblemRow{
		CID: st.CID.String(), Poster: st.Poster.String(), District: st.District, MIP: st.Problem.Domain,
		Title: st.Problem.Title, Criteria: st.Problem.Criteria, Bounty: st.Problem.Bounty, Unit: st.Problem.Unit,
		Deadline: st.Problem.Deadline, Status: st.State.String(), Solutions: []SolutionRow{}, Accept: st.Accept,
	}
	solved := map[string]arena.SolutionInfo{}
	for _, s := range st.Solved {
		solved[s.CID.String()] = s
	}
	for _, s := range st.All {
		r := SolutionRow{CID: s.CID.String(), Solver: s.Solver.String(), Summary: s.Summary}
		if a, ok := solved[r.CID]; ok {
			r.Accepted, r.Share = true, a.Share
		}
		row.Solutions = append(row.Solutions, r)
	}
	return row
}

// AgencyRow is the proof of agency of one peer: what its work shows.
type AgencyRow struct {
	Peer         string         `json:"peer"`
	Accepted     map[string]int `json:"accepted"`      // solutions accepted, by domain MIP id
	Verified     map[string]int `json:"verified"`      // its proofs verified, by MIP ref
	Agreed       map[string]int `json:"agreed"`        // its attestations agreeing with their proof's status, by MIP ref
	GridVerified int            `json:"grid_verified"` // its grid results in the majority of a verified job
}

// Agency returns the proof of agency of p (a peer ID or did:key; "" for
// this peer) over the entries held.
func (l *Local) Agency(ctx context.Context, p string) (AgencyRow, error) {
	id := l.Vault.ID()
	if p != "" {
		var err error
		if id, err = protocol.ParsePeer(p); err != nil {
			return AgencyRow{}, badInput("peer: %v", err)
		}
	}
	recs, err := l.heldAll(arena.KindProblem, arena.KindSolution, arena.KindAccept, settle.KindDistrict, settle.KindRole, govern.KindProposal, govern.KindVote)
	if err != nil {
		return AgencyRow{}, err
	}
	var proofs []settle.Status
	if v, err := l.views(); err == nil {
		if vv, ok := v.(interface{ Verification() *settle.Verification }); ok {
			proofs = vv.Verification().All()
		}
	}
	a := arena.Compute(recs).Agency(id, l.arenaAt(recs), proofs)
	out := AgencyRow{Peer: id.String(), Accepted: a.Accepted, Verified: a.Verified, Agreed: a.Agreed}
	if g, err := l.gridView(); err == nil {
		out.GridVerified = g.Reputation(id).Verified
	}
	return out, nil
}
