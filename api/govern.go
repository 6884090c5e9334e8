package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// ProposeRequest is the body of POST /v1/proposals: one change (see
// govern's Activate, Retire, AddSteward, ... Limit) to a district's rules.
type ProposeRequest struct {
	District string `json:"district"`
	Change   string `json:"change"`
	MIP      string `json:"mip"`    // activate, retire
	Peer     string `json:"peer"`   // steward and verifier changes: peer ID or did:key
	Unit     string `json:"unit"`   // limit
	Amount   uint64 `json:"amount"` // limit
	Note     string `json:"note"`
}

// VoteRequest is the body of POST /v1/votes.
type VoteRequest struct {
	Proposal string `json:"proposal"`
	Yes      bool   `json:"yes"`
	Note     string `json:"note"`
}

// ProposalRow is one proposal and its judgement.
type ProposalRow struct {
	CID       string   `json:"cid"`
	District  string   `json:"district"`
	Author    string   `json:"author"`
	Change    string   `json:"change"`
	MIP       string   `json:"mip,omitempty"`
	Peer      string   `json:"peer,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Amount    uint64   `json:"amount,omitempty"`
	Yes       []string `json:"yes"`
	No        []string `json:"no"`
	Stewards  int      `json:"stewards"`
	Threshold int      `json:"threshold"`
	Ratified  bool     `json:"ratified"`
	Why       string   `json:"why,omitempty"`
}

// MIPStatus is the answer of `mycel mip status`.
type MIPStatus struct {
	Ref       string        `json:"ref"`
	District  string        `json:"district"`
	Ratified  bool          `json:"ratified"`
	Votes     []ProposalRow `json:"votes"` // the proposals to activate or retire the ref, with their votes
	Threshold int           `json:"threshold"`
}

// Propose appends a proposal entry.
func (l *Local) Propose(ctx context.Context, req ProposeRequest) (Written, error) {
	p := &govern.Proposal{Change: req.Change, MIP: req.MIP, Unit: req.Unit, Amount: req.Amount, Note: req.Note}
	if req.Peer != "" {
		id, err := protocol.ParsePeer(req.Peer)
		if err != nil {
			return Written{}, badInput("peer: %v", err)
		}
		p.Peer = []byte(id)
	}
	if err := p.Check(); err != nil {
		return Written{}, badInput("proposal: %v", err)
	}
	return l.write(ctx, govern.KindProposal, req.District, p)
}

// Vote appends a vote on a proposal held, in the proposal's district.
func (l *Local) Vote(ctx context.Context, req VoteRequest) (Written, error) {
	pb, err := l.heldEntry(req.Proposal, govern.KindProposal, "vote")
	if err != nil {
		return Written{}, err
	}
	v := &govern.Vote{Proposal: protocol.LinkTo(pb.CID), Yes: req.Yes, Note: req.Note}
	if err := v.Check(); err != nil {
		return Written{}, badInput("vote: %v", err)
	}
	return l.write(ctx, govern.KindVote, pb.Entry.District, v)
}

// governView computes the governance view of the vault's entries.
func (l *Local) governView() (*govern.View, error) {
	recs, err := l.heldAll(govern.KindProposal, govern.KindVote, settle.KindDistrict)
	if err != nil {
		return nil, err
	}
	flags := settle.Flags{}
	for _, f := range l.flagged() {
		flags[f] = true
	}
	return govern.Compute(recs, l.Pins, flags), nil
}

// Proposals lists the proposals of a district (every district when
// empty), in the order they were judged.
func (l *Local) Proposals(ctx context.Context, district string) ([]ProposalRow, error) {
	v, err := l.governView()
	if err != nil {
		return nil, err
	}
	out := []ProposalRow{}
	for _, d := range v.Districts() {
		if district != "" && d != district {
			continue
		}
		for _, st := range v.Proposals(d) {
			out = append(out, proposalRow(st))
		}
	}
	return out, nil
}

// MIPStatus says whether ref is ratified in district, with the proposals
// about it.
func (l *Local) MIPStatus(ctx context.Context, ref, district string) (MIPStatus, error) {
	if _, _, ok := protocol.ParseMIPRef(ref); !ok {
		return MIPStatus{}, badInput("%q is not a MIP ref like MIP-AGR@2", ref)
	}
	v, err := l.governView()
	if err != nil {
		return MIPStatus{}, err
	}
	out := MIPStatus{Ref: ref, District: district, Ratified: v.Active(district, ref), Votes: []ProposalRow{}}
	for _, st := range v.Proposals(district) {
		if st.Proposal.MIP == ref {
			out.Votes = append(out.Votes, proposalRow(st))
			out.Threshold = st.Threshold
		}
	}
	return out, nil
}

func proposalRow(st govern.Status) ProposalRow {
	r := ProposalRow{CID: st.CID.String(), District: st.District, Author: st.Author.String(), Change: st.Proposal.Change,
		MIP: st.Proposal.MIP, Unit: st.Proposal.Unit, Amount: st.Proposal.Amount, Yes: []string{}, No: []string{},
		Stewards: st.Stewards, Threshold: st.Threshold, Ratified: st.Ratified, Why: st.Why}
	if len(st.Proposal.Peer) > 0 {
		r.Peer = st.Proposal.Who().String()
	}
	for _, p := range st.Yes {
		r.Yes = append(r.Yes, p.String())
	}
	for _, p := range st.No {
		r.No = append(r.No, p.String())
	}
	return r
}

// GovernService is the control API's governance part.
type GovernService interface {
	Propose(ctx context.Context, req ProposeRequest) (Written, error)
	Vote(ctx context.Context, req VoteRequest) (Written, error)
	Proposals(ctx context.Context, district string) ([]ProposalRow, error)
	MIPStatus(ctx context.Context, ref, district string) (MIPStatus, error)
}

var (
	_ GovernService = (*Local)(nil)
	_ GovernService = (*Client)(nil)
)

func (s *Server) governRoutes(mux *http.ServeMux) {
	g, ok := s.raw.(GovernService)
	if !ok {
		return
	}
	mux.HandleFunc("POST /v1/proposals", postJSON(g.Propose))
	mux.HandleFunc("POST /v1/votes", postJSON(g.Vote))
	mux.HandleFunc("GET /v1/proposals", func(w http.ResponseWriter, r *http.Request) {
		v, err := g.Proposals(r.Context(), r.URL.Query().Get("district"))
		reply(w, v, err)
	})
	mux.HandleFunc("GET /v1/mips/{ref}/status", func(w http.ResponseWriter, r *http.Request) {
		v, err := g.MIPStatus(r.Context(), r.PathValue("ref"), r.URL.Query().Get("district"))
		reply(w, v, err)
	})
}

func (c *Client) Propose(ctx context.Context, req ProposeRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/proposals", req, &v)
}

func (c *Client) Vote(ctx context.Context, req VoteRequest) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/votes", req, &v)
}

func (c *Client) Proposals(ctx context.Context, district string) (v []ProposalRow, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/proposals?district="+url.QueryEscape(district), nil, "", &v)
}

func (c *Client) MIPStatus(ctx context.Context, ref, district string) (v MIPStatus, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/mips/"+url.PathEscape(ref)+"/status?district="+url.QueryEscape(district), nil, "", &v)
}
