package bundle

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/storage"
)

// Filter selects what Export writes. The zero Filter selects everything.
type Filter struct {
	// District keeps the authors that wrote at least one joined entry in
	// it. Their whole logs go in, so that every hash chain in the bundle
	// is complete.
	District string
	// Authors keeps only these authors when not empty; with District, the
	// authors in both.
	Authors []peer.ID
	// Since keeps, per author, only the entries after the want's head. When
	// the want's head differs from ours at the same seq, our entry at that
	// seq goes in too, so that the receiver records the fork.
	Since *Want
}

// span is the part of one author's log to export, and the fork entries
// the vault holds at seqs in it.
type span struct {
	head  storage.Head
	from  uint64
	forks []cid.Cid
}

func (s span) size() int { return int(s.head.Seq-s.from+1) + len(s.forks) }

// plan decides, per author in author order, which part of the log to
// export.
func plan(r storage.Reader, f Filter) ([]span, error) {
	heads, err := r.Heads()
	if err != nil {
		return nil, fmt.Errorf("bundle export: %w", err)
	}
	keep, err := authorSet(r, f)
	if err != nil {
		return nil, err
	}
	var want map[peer.ID]storage.Head
	if f.Since != nil {
		if want, err = f.Since.vector(); err != nil {
			return nil, err
		}
	}
	forks, err := forksByAuthor(r)
	if err != nil {
		return nil, err
	}
	var spans []span
	for _, h := range heads {
		if keep != nil && !keep[h.Author] {
			continue
		}
		from, err := startOf(r, h, want)
		if err != nil {
			return nil, err
		}
		if from > h.Seq {
			continue
		}
		s := span{head: h, from: from}
		for _, fk := range forks[h.Author] {
			if fk.Seq >= from && fk.Seq <= h.Seq {
				s.forks = append(s.forks, fk.Second)
			}
		}
		spans = append(spans, s)
	}
	return spans, nil
}

// startOf returns the first seq of h's log that the want lacks.
func startOf(r storage.Reader, h storage.Head, want map[peer.ID]storage.Head) (uint64, error) {
	w, ok := want[h.Author]
	if !ok || w.Seq == 0 {
		return 1, nil
	}
	if w.Seq > h.Seq {
		return h.Seq + 1, nil // the receiver is ahead
	}
	ours, err := r.Log(h.Author, w.Seq, 1)
	if err != nil {
		return 0, fmt.Errorf("bundle export: log of %s at seq %d: %w", h.Author, w.Seq, err)
	}
	if len(ours) == 0 {
		return 0, fmt.Errorf("bundle export: log of %s has no seq %d", h.Author, w.Seq)
	}
	if ours[0].ID().Digest != w.Digest {
		return w.Seq, nil // a fork at the receiver's head: send ours
	}
	return w.Seq + 1, nil
}

// forksByAuthor groups the vault's fork records by author, by seq.
func forksByAuthor(r storage.Reader) (map[peer.ID][]storage.Fork, error) {
	all, err := r.Forks()
	if err != nil {
		return nil, fmt.Errorf("bundle export: %w", err)
	}
	by := make(map[peer.ID][]storage.Fork)
	for _, f := range all {
		by[f.Author] = append(by[f.Author], f)
	}
	for _, fs := range by {
		slices.SortStableFunc(fs, func(a, b storage.Fork) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	return by, nil
}

// authorSet returns the authors the filter keeps, or nil for all.
func authorSet(r storage.Reader, f Filter) (map[peer.ID]bool, error) {
	var keep map[peer.ID]bool
	if f.District != "" {
		in, err := r.Query(storage.Query{District: f.District})
		if err != nil {
			return nil, fmt.Errorf("bundle export: %w", err)
		}
		keep = make(map[peer.ID]bool)
		for _, b := range in {
			keep[b.Entry.Author] = true
		}
	}
	if len(f.Authors) == 0 {
		return keep, nil
	}
	only := make(map[peer.ID]bool, len(f.Authors))
	for _, a := range f.Authors {
		if keep == nil || keep[a] {
			only[a] = true
		}
	}
	return only, nil
}
