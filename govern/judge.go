package govern

import (
	"bytes"
	"maps"
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
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

// judge computes the view of recs from scratch. recs holds district,
// proposal and vote records only, each block once, in any order.
func judge(recs []*settle.Record, pins settle.Pins, flags settle.Flags) *result {
	cands := map[string][]*settle.Record{}
	props := map[protocol.ID]*proposal{}
	names := map[cid.Cid]protocol.ID{}
	for _, r := range recs {
		switch r.Body.(type) {
		case *settle.District:
			cands[r.Entry.District] = append(cands[r.Entry.District], r)
		case *Proposal:
			p, held := props[r.ID]
			if !held {
				p = &proposal{rec: r, cid: r.CID, votes: map[peer.ID]ballot{}}
				props[r.ID] = p
			}
			p.blocks = append(p.blocks, r.CID)
			if r.CID.KeyString() < p.cid.KeyString() {
				p.cid = r.CID
			}
			names[r.CID] = r.ID
		}
	}
	for _, r := range recs {
		vote, ok := r.Body.(*Vote)
		if !ok {
			continue
		}
		id, ok := names[vote.Proposal.Cid]
		if !ok {
			continue
		}
		p := props[id]
		b := ballot{r.ID.Seq, r.ID.Digest, vote.Yes}
		if old, held := p.votes[r.Author()]; !held || b.after(old) {
			p.votes[r.Author()] = b
		}
	}
	byDistrict := map[string][]*proposal{}
	for _, p := range props {
		d := p.rec.Entry.District
		byDistrict[d] = append(byDistrict[d], p)
	}
	out := &result{districts: map[string]*Rules{}, byCID: map[cid.Cid]*Status{}}
	for d, cs := range cands {
		g := settle.Genesis(cs, pins[d])
		if g == nil {
			continue
		}
		ps := byDistrict[d]
		slices.SortFunc(ps, canonical)
		rules := district(d, g, ps, flags)
		out.districts[d] = rules
		for i, p := range ps {
			for _, c := range p.blocks {
				out.byCID[c] = &rules.Proposals[i]
			}
		}
	}
	return out
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
	mips := map[string]bool{}
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
			apply(body, stewards, verifiers, limits, mips)
		}
		rules.Proposals = append(rules.Proposals, st)
	}
	rules.Stewards, rules.Verifiers = sortedPeers(stewards, flags), sortedPeers(verifiers, flags)
	rules.Limits = limits
	rules.MIPs = slices.Sorted(maps.Keys(mips))
	return rules
}

// apply makes the change of a ratified proposal.
func apply(p Proposal, stewards, verifiers map[peer.ID]bool, limits map[string]uint64, mips map[string]bool) {
	switch p.Change {
	case Activate:
		mips[p.MIP] = true
	case Retire:
		delete(mips, p.MIP)
	case AddSteward:
		stewards[p.Who()] = true
	case RemoveSteward:
		delete(stewards, p.Who())
	case AddVerifier:
		verifiers[p.Who()] = true
	case RemoveVerifier:
		delete(verifiers, p.Who())
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
