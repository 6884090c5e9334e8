package arena

import (
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/internal/entryset"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// View folds problems, solutions, accepts and the receipts that pay
// bounties. Whatever order the records come in, however often each comes
// and however they were split among views then merged (Merge), the view
// shows the same as Compute over them. An entry is known by its identity
// (package entryset): a link to any of its blocks names it, and it is
// shown by the least CID of the blocks held. Make one with NewView.
//
// Add costs O(1) amortised. Nothing is judged ahead: a read judges each
// problem it shows at the At it is given, in the number of its solutions
// and accepts.
type View struct {
	set       entryset.Index
	problems  map[protocol.ID]*entry
	solutions map[cid.Cid][]*entry // solution entries by the problem link they carry
	accepts   map[cid.Cid][]*entry // accept entries by the problem link they carry
	receipts  map[peer.ID][]*entry // receipt entries by payer
}

type entry = entryset.Entry

// NewView returns the view of an empty set.
func NewView() *View {
	return &View{
		set: entryset.New(), problems: map[protocol.ID]*entry{}, solutions: map[cid.Cid][]*entry{},
		accepts: map[cid.Cid][]*entry{}, receipts: map[peer.ID][]*entry{},
	}
}

// Compute folds every record into a new view.
func Compute(records []*settle.Record) *View {
	v := NewView()
	for _, r := range records {
		v.Add(r)
	}
	return v
}

// Add folds r in; it returns false, changing nothing, for a block the
// view holds, a record of a kind it does not read, or one whose body did
// not check (Body nil).
func (v *View) Add(r *settle.Record) bool {
	if r == nil || !read(r) {
		return false
	}
	e, first, given := v.set.Add(r)
	if given {
		return false
	}
	if !first {
		return true
	}
	switch b := r.Body.(type) {
	case *Problem:
		v.problems[r.ID] = e
	case *Solution:
		v.solutions[b.Problem.Cid] = append(v.solutions[b.Problem.Cid], e)
	case *Accept:
		v.accepts[b.Problem.Cid] = append(v.accepts[b.Problem.Cid], e)
	case *settle.Receipt:
		v.receipts[r.Author()] = append(v.receipts[r.Author()], e)
	}
	return true
}

// Merge folds every block o holds into v.
func (v *View) Merge(o *View) { o.set.Each(func(r *settle.Record) { v.Add(r) }) }

// read reports whether the view reads r: a well-formed problem,
// solution, accept or receipt.
func read(r *settle.Record) bool {
	switch r.Body.(type) {
	case *Problem:
		return r.Entry.Kind == KindProblem
	case *Solution:
		return r.Entry.Kind == KindSolution
	case *Accept:
		return r.Entry.Kind == KindAccept
	}
	_, ok := r.Receipt()
	return ok
}

// linking returns the entries of by that carry a link to any block of
// the entry e, each once.
func (v *View) linking(by map[cid.Cid][]*entry, e *entry) []*entry {
	var out []*entry
	for _, r := range e.Blocks {
		out = append(out, by[r.CID]...)
	}
	return out
}
