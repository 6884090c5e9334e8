package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
	"github.com/ipld/go-car/v2/storage"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/vault"
)

// ErrNothing means the selection holds no entry to export.
var ErrNothing = errors.New("nothing to export")

// pageSize is how many log entries Export reads at a time.
const pageSize = 1024

// Filter selects what Export writes. The zero Filter selects everything.
type Filter struct {
	// District keeps the authors that wrote at least one entry in it. Their
	// whole logs go in, so that every hash chain in the bundle is complete.
	District string
	// Authors keeps only these authors when not empty.
	Authors []peer.ID
	// Since keeps, per author, only the entries after the want's head. When
	// the want's head differs from ours at the same seq, our entry at that
	// seq goes in too, so the receiver records the fork.
	Since *Want
}

// Stats describes a written bundle.
type Stats struct {
	Entries int   `json:"entries"`
	Authors int   `json:"authors"`
	Bytes   int64 `json:"bytes"`
}

// span is the part of one author's log to export.
type span struct {
	head vault.Head
	from uint64
}

// Export writes the selected entries to w as a CARv1 file whose roots are
// the heads of the exported logs, in author order and log order. progress,
// when not nil, is called after each entry with the count so far and the
// total. Export returns ErrNothing, and writes nothing, when the selection
// is empty.
func Export(w io.Writer, r vault.Reader, f Filter, progress func(done, total int)) (Stats, error) {
	spans, err := plan(r, f)
	if err != nil {
		return Stats{}, err
	}
	total, roots := 0, make([]cid.Cid, 0, len(spans))
	for _, s := range spans {
		total += int(s.head.Seq - s.from + 1)
		roots = append(roots, s.head.CID)
	}
	if total == 0 {
		return Stats{}, ErrNothing
	}
	cw := &countingWriter{w: w}
	car, err := storage.NewWritable(cw, roots, carv2.WriteAsCarV1(true))
	if err != nil {
		return Stats{}, fmt.Errorf("bundle export: %w", err)
	}
	st := Stats{Authors: len(spans)}
	for _, s := range spans {
		if err := exportLog(car, r, s, func() {
			st.Entries++
			if progress != nil {
				progress(st.Entries, total)
			}
		}); err != nil {
			return Stats{}, err
		}
	}
	if err := car.Finalize(); err != nil {
		return Stats{}, fmt.Errorf("bundle export: %w", err)
	}
	st.Bytes = cw.n
	return st, nil
}

func exportLog(car storage.WritableCar, r vault.Reader, s span, done func()) error {
	for from := s.from; from <= s.head.Seq; {
		page, err := r.Log(s.head.Author, from, pageSize)
		if err != nil {
			return fmt.Errorf("bundle export: log of %s: %w", s.head.Author, err)
		}
		if len(page) == 0 {
			return fmt.Errorf("bundle export: log of %s ends before seq %d", s.head.Author, from)
		}
		for _, b := range page {
			if b.Entry.Seq > s.head.Seq {
				return nil
			}
			if err := car.Put(context.Background(), b.CID.KeyString(), b.Data); err != nil {
				return fmt.Errorf("bundle export: %w", err)
			}
			done()
			from = b.Entry.Seq + 1
		}
	}
	return nil
}

// plan decides, per author, which part of the log to export.
func plan(r vault.Reader, f Filter) ([]span, error) {
	heads, err := r.Heads()
	if err != nil {
		return nil, fmt.Errorf("bundle export: %w", err)
	}
	keep, err := authorSet(r, f)
	if err != nil {
		return nil, err
	}
	var want map[peer.ID]vault.Head
	if f.Since != nil {
		if want, err = f.Since.vector(); err != nil {
			return nil, err
		}
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
		if from <= h.Seq {
			spans = append(spans, span{head: h, from: from})
		}
	}
	return spans, nil
}

// startOf returns the first seq of h's log that the want lacks.
func startOf(r vault.Reader, h vault.Head, want map[peer.ID]vault.Head) (uint64, error) {
	w, ok := want[h.Author]
	if !ok || w.Seq == 0 {
		return 1, nil
	}
	if w.Seq > h.Seq {
		return h.Seq + 1, nil // the receiver is ahead
	}
	ours, err := r.Log(h.Author, w.Seq, 1)
	if err != nil || len(ours) == 0 {
		return 0, fmt.Errorf("bundle export: log of %s at seq %d: %v", h.Author, w.Seq, err)
	}
	if ours[0].ID().Digest != w.Digest {
		return w.Seq, nil // a fork at the receiver's head: send ours
	}
	return w.Seq + 1, nil
}

// authorSet returns the authors the filter keeps, or nil for all.
func authorSet(r vault.Reader, f Filter) (map[peer.ID]bool, error) {
	if f.District == "" && len(f.Authors) == 0 {
		return nil, nil
	}
	var keep map[peer.ID]bool
	if f.District != "" {
		in, err := r.Query(vault.Query{District: f.District})
		if err != nil {
			return nil, fmt.Errorf("bundle export: %w", err)
		}
		keep = make(map[peer.ID]bool)
		for _, b := range in {
			keep[b.Entry.Author] = true
		}
	}
	if len(f.Authors) > 0 {
		only := make(map[peer.ID]bool)
		for a := range keep {
			if slices.Contains(f.Authors, a) {
				only[a] = true
			}
		}
		if keep == nil {
			for _, a := range f.Authors {
				only[a] = true
			}
		}
		keep = only
	}
	return keep, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
