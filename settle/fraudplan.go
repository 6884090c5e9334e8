package settle

import (
	"slices"
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// fraudRoom is what a fraud body may take of an entry: the pair plus the
// envelope must fit protocol.MaxEntrySize.
const fraudRoom = protocol.MaxEntrySize - 1024

// FraudDue is a fraud entry a reporter owes: Fraud holds the pair of
// Accused's first fork, and the reporter appends it in District, that of
// the pair's first entry (by digest, see Set.Fork).
type FraudDue struct {
	Accused  peer.ID
	District string
	Fraud    *Fraud
}

// Convicted is the set of authors convicted by a fraud entry held,
// whoever wrote it. The zero value (nil) convicts no one and may be read;
// make one to Note into.
type Convicted map[peer.ID]bool

// ConvictedIn returns the authors the fraud entries of s convict. It costs
// the set; a holder that sees every entry arrive keeps one up to date
// with Note instead.
func ConvictedIn(s *Set) Convicted {
	c := Convicted{}
	s.Each(c.Note)
	return c
}

// Note records the author r convicts, if r is a fraud entry that checked.
func (c Convicted) Note(r *Record) {
	if a, ok := accused(r); ok {
		c[a] = true
	}
}

// PlanFrauds returns the fraud entries reporter owes for the authors it
// follows among accused (in any order; an author given twice counts
// once). The rule:
//
//   - an author with no fork in s is never accused;
//   - nor is the reporter itself;
//   - nor an author convicted by a fraud entry held (convicted: see
//     ConvictedIn and Note), whoever wrote it: once the news is out, no
//     one need repeat it;
//   - the body is the author's first equivocation pair (Set.Fork) in
//     canonical order (NewFraud), so every reporter of it writes the same
//     bytes, and the district is that of the pair's first entry;
//   - a pair too large for one entry is left: the fork itself still flags
//     the author wherever it is held;
//   - authors are planned in byte order, one entry each at most.
//
// Planning again after the result is held (its entries noted in
// convicted) returns nothing for those authors: each entry convicts its
// accused. The cost is that of the authors given, not of the set.
func PlanFrauds(reporter peer.ID, s *Set, accused []peer.ID, convicted Convicted) []FraudDue {
	accused = slices.Clone(accused)
	slices.SortFunc(accused, func(a, b peer.ID) int { return strings.Compare(string(a), string(b)) })
	accused = slices.Compact(accused)
	var out []FraudDue
	for _, a := range accused {
		if a == reporter || convicted[a] {
			continue
		}
		pair, ok := s.Fork(a)
		if !ok || len(pair[0].Data)+len(pair[1].Data) > fraudRoom {
			continue
		}
		out = append(out, FraudDue{Accused: a, District: pair[0].Entry.District, Fraud: NewFraud(pair[0].Block, pair[1].Block)})
	}
	return out
}
