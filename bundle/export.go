package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
	carstorage "github.com/ipld/go-car/v2/storage"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/storage"
)

// ErrNothing means the selection holds no entry to export.
var ErrNothing = errors.New("nothing to export")

// pageSize is how many log entries Export reads at a time.
const pageSize = 1024

// Stats describes a written bundle.
type Stats struct {
	Entries int   `json:"entries"` // blocks written, forks included
	Authors int   `json:"authors"` // logs the bundle holds a part of
	Forks   int   `json:"forks"`   // equivocating entries among Entries
	Bytes   int64 `json:"bytes"`   // size of the CAR file
}

// Export writes the entries f selects to w as a CARv1 file. Its header's
// roots are the heads of the exported logs, in author order; its blocks
// are, per author in that order, the selected part of the log in log order
// and then the fork entries the vault holds in that part, by seq. progress,
// when not nil, is called after each block with the count so far and the
// total.
//
// Three things might happen:
//   - the selection is empty: ErrNothing, and nothing is written to w;
//   - the vault or w fails: an error, and w holds a partial file;
//   - otherwise the Stats of the written bundle.
func Export(w io.Writer, r storage.Reader, f Filter, progress func(done, total int)) (Stats, error) {
	spans, err := plan(r, f)
	if err != nil {
		return Stats{}, err
	}
	total, roots := 0, make([]cid.Cid, 0, len(spans))
	for _, s := range spans {
		total += s.size()
		roots = append(roots, s.head.CID)
	}
	if total == 0 {
		return Stats{}, ErrNothing
	}
	cw := &countingWriter{w: w}
	car, err := carstorage.NewWritable(cw, roots, carv2.WriteAsCarV1(true))
	if err != nil {
		return Stats{}, fmt.Errorf("bundle export: %w", err)
	}
	st := Stats{Authors: len(spans)}
	put := func(c cid.Cid, data []byte) error {
		if err := car.Put(context.Background(), c.KeyString(), data); err != nil {
			return fmt.Errorf("bundle export: %w", err)
		}
		if st.Entries++; progress != nil {
			progress(st.Entries, total)
		}
		return nil
	}
	for _, s := range spans {
		if err := exportLog(r, s, put); err != nil {
			return Stats{}, err
		}
		if err := exportForks(r, s, put); err != nil {
			return Stats{}, err
		}
		st.Forks += len(s.forks)
	}
	if err := car.Finalize(); err != nil {
		return Stats{}, fmt.Errorf("bundle export: %w", err)
	}
	st.Bytes = cw.n
	return st, nil
}

// logBytes is the fast path of a vault that hands out stored bytes
// without decoding them, as *vault.Bolt does.
type logBytes interface {
	LogBytes(author peer.ID, from uint64, limit int, fn func(seq uint64, c cid.Cid, data []byte) error) error
}

// exportLog writes the span's part of the log, a page (one read
// transaction) at a time.
func exportLog(r storage.Reader, s span, put func(c cid.Cid, data []byte) error) error {
	lb, fast := r.(logBytes)
	for from := s.from; from <= s.head.Seq; {
		next := from
		emit := func(seq uint64, c cid.Cid, data []byte) error {
			if seq > s.head.Seq {
				return nil
			}
			next = seq + 1
			return put(c, data)
		}
		var err error
		if fast {
			err = lb.LogBytes(s.head.Author, from, pageSize, emit)
		} else {
			err = logPage(r, s.head.Author, from, emit)
		}
		if err != nil {
			return fmt.Errorf("bundle export: log of %s: %w", s.head.Author, err)
		}
		if next == from {
			return fmt.Errorf("bundle export: log of %s ends before seq %d", s.head.Author, from)
		}
		from = next
	}
	return nil
}

// logPage reads one page of a log through storage.Reader.
func logPage(r storage.Reader, author peer.ID, from uint64, emit func(uint64, cid.Cid, []byte) error) error {
	page, err := r.Log(author, from, pageSize)
	for _, b := range page {
		if err != nil {
			break
		}
		err = emit(b.Entry.Seq, b.CID, b.Data)
	}
	return err
}

// exportForks writes the span's fork entries.
func exportForks(r storage.Reader, s span, put func(cid.Cid, []byte) error) error {
	for _, c := range s.forks {
		b, err := r.Get(c)
		if err != nil {
			return fmt.Errorf("bundle export: fork of %s: %w", s.head.Author, err)
		}
		if err := put(b.CID, b.Data); err != nil {
			return err
		}
	}
	return nil
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
