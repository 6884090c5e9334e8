package grid

import (
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/internal/entryset"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// View is the grid view of a set of entries: offers, jobs, results and
// the receipts that pay for results. It is a fold: Add takes one record
// at a time, in any order, and the view of a set is the same whatever the
// order, however the set was split and merged, and however often a
// record came (Compute gives it from scratch). Entries are identified by
// protocol.ID; a link to any block of an entry names that entry, and the
// view reports an entry by the smallest CID among its blocks it was
// given. The zero value is not usable; call NewView.
//
// Add costs O(1) amortised; a provider's first offer costs the number of
// its results. Reads judge the jobs that changed since they were last
// judged, each in the number of its results.
type View struct {
	set      entryset.Index       // every block given, by entry
	offers   map[peer.ID][]*entry // offer entries by provider
	jobs     map[protocol.ID]*entry
	asked    map[peer.ID][]*entry  // job entries by requester
	answers  map[cid.Cid][]*entry  // result entries by the job link they carry
	answered map[peer.ID][]cid.Cid // job links of each provider's results
	receipts map[peer.ID][]*entry  // receipt entries by payer
	judged   map[protocol.ID]*Status
}

type entry = entryset.Entry

// NewView returns the view of an empty set.
func NewView() *View {
	return &View{
		set: entryset.New(), offers: map[peer.ID][]*entry{}, jobs: map[protocol.ID]*entry{},
		asked: map[peer.ID][]*entry{}, answers: map[cid.Cid][]*entry{},
		answered: map[peer.ID][]cid.Cid{}, receipts: map[peer.ID][]*entry{}, judged: map[protocol.ID]*Status{},
	}
}

// Compute returns the view of records, computed from scratch: every job
// judged once.
func Compute(records []*settle.Record) *View {
	v := NewView()
	for _, r := range records {
		v.Add(r)
	}
	for id, e := range v.jobs {
		v.judged[id] = v.judge(e)
	}
	return v
}

// Add folds r into the view and reports whether it was new to it. Records
// of other kinds, records whose body did not decode or check (Body nil)
// and blocks already given change nothing.
func (v *View) Add(r *settle.Record) bool {
	if r == nil || !read(r) {
		return false
	}
	e, first, given := v.set.Add(r)
	if given {
		return false
	}
	if !first {
		v.touch(r)
		return true
	}
	a := r.Author()
	switch b := r.Body.(type) {
	case *Offer:
		if len(v.offers[a]) == 0 {
			for _, l := range v.answered[a] {
				v.dirty(l)
			}
		}
		v.offers[a] = append(v.offers[a], e)
	case *Job:
		v.jobs[r.ID] = e
		v.asked[a] = append(v.asked[a], e)
	case *Result:
		v.answers[b.Job.Cid] = append(v.answers[b.Job.Cid], e)
		v.answered[a] = append(v.answered[a], b.Job.Cid)
	case *settle.Receipt:
		v.receipts[a] = append(v.receipts[a], e)
	}
	v.touch(r)
	return true
}

// Merge folds every block o holds into v.
func (v *View) Merge(o *View) { o.set.Each(func(r *settle.Record) { v.Add(r) }) }

// read reports whether the view reads r: a well-formed offer, job, result
// or receipt.
func read(r *settle.Record) bool {
	switch r.Body.(type) {
	case *Offer:
		return r.Entry.Kind == KindOffer
	case *Job:
		return r.Entry.Kind == KindJob
	case *Result:
		return r.Entry.Kind == KindResult
	}
	_, ok := r.Receipt()
	return ok
}

// touch drops the judgement of the job a new block of r changes.
func (v *View) touch(r *settle.Record) {
	switch b := r.Body.(type) {
	case *Job:
		delete(v.judged, r.ID)
	case *Result:
		v.dirty(b.Job.Cid)
	}
}

// dirty drops the judgement of the job a link names, if held.
func (v *View) dirty(link cid.Cid) {
	if id, ok := v.set.IDs[link]; ok {
		delete(v.judged, id)
	}
}

// job returns the job entry a link names.
func (v *View) job(link cid.Cid) (*entry, bool) {
	id, ok := v.set.IDs[link]
	if !ok {
		return nil, false
	}
	e, ok := v.jobs[id]
	return e, ok
}

// offerer reports whether p wrote an offer entry, withdrawn or not.
func (v *View) offerer(p peer.ID) bool { return len(v.offers[p]) > 0 }
