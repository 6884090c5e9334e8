package govern

import (
	"bytes"
	"maps"
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/settle"
)

// proposal is one proposal entry with every block of it given.
type proposal struct {
	rec    *settle.Record // any block: all carry the same body
	blocks []cid.Cid
	cid    cid.Cid // the smallest of blocks
	votes  map[peer.ID]ballot
}

// ballot is an author's latest vote on one proposal.
type ballot struct {
	seq    uint64
	digest [32]byte
	yes    bool
}

func (b ballot) after(o ballot) bool {
	if b.seq != o.seq {
		return b.seq > o.seq
	}
	return bytes.Compare(b.digest[:], o.digest[:]) > 0
}

// index files a new block r of a district, proposal or vote entry and
// marks the district it changes.
func (v *View) index(r *settle.Record) {
	switch b := r.Body.(type) {
	case *settle.District:
		d := r.Entry.District
		v.cands[d] = append(v.cands[d], r)
		v.dirty[d] = true
		for _, p := range append(slices.Clone(b.Stewards), b.Verifiers...) {
			v.involve(d, peer.ID(p))
		}
	case *Proposal:
		p, held := v.props[r.ID]
		if !held {
			p = &proposal{rec: r, cid: r.CID, votes: map[peer.ID]ballot{}}
			v.props[r.ID] = p
			v.proposals[r.Entry.District] = append(v.proposals[r.Entry.District], p)
		}
		p.blocks = append(p.blocks, r.CID)
		if r.CID.KeyString() < p.cid.KeyString() {
			p.cid = r.CID
		}
		v.names[r.CID] = r.ID
		v.involve(r.Entry.District, r.Author())
		if len(b.Peer) > 0 {
			v.involve(r.Entry.District, b.Who())
		}
		for _, vote := range v.orphans[r.CID] {
			p.vote(vote)
			v.involve(r.Entry.District, vote.Author())
		}
		delete(v.orphans, r.CID)
		v.dirty[r.Entry.District] = true
	case *Vote:
		id, ok := v.names[b.Proposal.Cid]
		if !ok {
			v.orphans[b.Proposal.Cid] = append(v.orphans[b.Proposal.Cid], r)
			return
		}
		p := v.props[id]
		p.vote(r)
		v.involve(p.rec.Entry.District, r.Author())
		v.dirty[p.rec.Entry.District] = true
	}
}

// involve notes that p's flag can change what district d rules: p is a
// steward or verifier its genesis candidates list, a proposal's author or
// subject, or a voter.
func (v *View) involve(d string, p peer.ID) {
	m := v.involved[d]
	if m == nil {
		m = map[peer.ID]bool{}
		v.involved[d] = m
	}
	m[p] = true
}

// vote counts r, a vote on p, if it is its author's latest.
func (p *proposal) vote(r *settle.Record) {
	b := ballot{r.ID.Seq, r.ID.Digest, r.Body.(*Vote).Yes}
	if old, held := p.votes[r.Author()]; !held || b.after(old) {
		p.votes[r.Author()] = b
	}
}

// judged judges again every district marked since the last read.
func (v *View) judged() *View {
	for d := range v.dirty {
		ps := v.proposals[d]
		for _, p := range ps {
			for _, c := range p.blocks {
				delete(v.byCID, c)
			}
		}
		delete(v.rules, d)
		g := genesis(v.cands[d], v.pins[d])
		if g == nil {
			continue
		}
		slices.SortFunc(ps, canonical)
		rules := district(d, g, ps, v.flags)
		v.rules[d] = rules
		for i, p := range ps {
			for _, c := range p.blocks {
				v.byCID[c] = &rules.Proposals[i]
			}
		}
	}
	clear(v.dirty)
	return v
}

// genesis is settle.Genesis reporting, when no pin decides, the block
// with the smallest CID among those given of the genesis entry, whatever
// the order they came in.
func genesis(cands []*settle.Record, pin cid.Cid) *settle.Record {
	g := settle.Genesis(cands, pin)
	if g == nil || pin.Defined() {
		return g
	}
	for _, r := range cands {
		if r.ID == g.ID && r.CID.KeyString() < g.CID.KeyString() {
			g = r
		}
	}
	return g
}

// district judges the proposals of district d, in canonical order, from
// its genesis g.
func district(d string, g *settle.Record, ps []*proposal, flags settle.Flags) *Rules {
	body := g.Body.(*settle.District)
	stewards, verifiers := set(body.Stewards), set(body.Verifiers)
	limits := maps.Clone(body.Limits)
	if limits == nil {
		limits = map[string]uint64{}
	}
	mips, retired := map[string]bool{}, map[string]bool{}
	unseated := map[string]map[peer.ID]bool{AddSteward: {}, AddVerifier: {}}
	inForce := func(p peer.ID) bool { return stewards[p] && !flags[p] }
	counted := func() int {
		n := 0
		for p := range stewards {
			if !flags[p] {
				n++
			}
		}
		return n
	}
	rules := &Rules{District: d, Genesis: g.CID, Proposals: make([]Status, 0, len(ps))}
	for _, p := range ps {
		body := *p.rec.Body.(*Proposal)
		n := counted()
		st := Status{
			CID: p.cid, ID: p.rec.ID, District: d, Author: p.rec.Author(), Time: p.rec.Entry.Time,
			Proposal: body, Stewards: n, Threshold: 2*n/3 + 1, Yes: []peer.ID{}, No: []peer.ID{},
		}
		for who, b := range p.votes {
			switch {
			case !inForce(who):
			case b.yes:
				st.Yes = append(st.Yes, who)
			default:
				st.No = append(st.No, who)
			}
		}
		slices.SortFunc(st.Yes, byBytes)
		slices.SortFunc(st.No, byBytes)
		switch {
		case flags[st.Author]:
			st.Why = "its author is flagged"
		case !stewards[st.Author]:
			st.Why = "its author is not a steward in force when it is judged"
		case 3*len(st.Yes) <= 2*n:
			st.Why = "too few yes votes: more than two thirds of the stewards in force must vote yes"
		case body.Change == RemoveSteward && inForce(body.Who()) && n == 1:
			st.Why = "it would leave the district without a steward"
		default:
			st.Ratified = true
			apply(body, stewards, verifiers, limits, mips, retired, unseated)
		}
		rules.Proposals = append(rules.Proposals, st)
	}
	rules.Stewards, rules.Verifiers = sortedPeers(stewards, flags), sortedPeers(verifiers, flags)
	rules.Limits = limits
	rules.MIPs = slices.Sorted(maps.Keys(mips))
	rules.Retired = slices.Sorted(maps.Keys(retired))
	rules.rule = &settle.Rule{
		Stewards: sortedPeers(stewards, nil), Verifiers: sortedPeers(verifiers, nil),
		UnseatedStewards: sortedPeers(unseated[AddSteward], nil), UnseatedVerifiers: sortedPeers(unseated[AddVerifier], nil),
		Limits: limits, MIPs: rules.MIPs, Retired: rules.Retired,
	}
	return rules
}

// apply makes the change of a ratified proposal. unseated holds, under
// AddSteward and AddVerifier, the peers removed from that role and not
// added again since.
func apply(p Proposal, stewards, verifiers map[peer.ID]bool, limits map[string]uint64, mips, retired map[string]bool, unseated map[string]map[peer.ID]bool) {
	switch p.Change {
	case Activate:
		mips[p.MIP] = true
		delete(retired, p.MIP)
	case Retire:
		delete(mips, p.MIP)
		retired[p.MIP] = true
	case AddSteward:
		stewards[p.Who()] = true
		delete(unseated[AddSteward], p.Who())
	case RemoveSteward:
		delete(stewards, p.Who())
		unseated[AddSteward][p.Who()] = true
	case AddVerifier:
		verifiers[p.Who()] = true
		delete(unseated[AddVerifier], p.Who())
	case RemoveVerifier:
		delete(verifiers, p.Who())
		unseated[AddVerifier][p.Who()] = true
	case Limit:
		limits[p.Unit] = p.Amount
	}
}

func set(list [][]byte) map[peer.ID]bool {
	m := make(map[peer.ID]bool, len(list))
	for _, b := range list {
		m[peer.ID(b)] = true
	}
	return m
}
