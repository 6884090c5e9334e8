package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

// cancelAfter cancels a context once n bytes went through it.
type cancelAfter struct {
	r      io.Reader
	w      io.Writer
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p[:min(len(p), 4096)])
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	k, err := c.w.Write(p)
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// filled is a Local holding n attest entries of its own.
func filled(t *testing.T, n int) *Local {
	t.Helper()
	l, v := newLocal(t)
	for i := range n {
		if _, err := v.Append(v.Key(), attestEntry(t, string(rune('a'+i%26)), "valley/north")); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// TestExportStopsWhenContextEnds: an export whose context ends stops at
// its next write with the context's error.
func TestExportStopsWhenContextEnds(t *testing.T) {
	l := filled(t, 300)
	var whole bytes.Buffer
	if _, err := l.ExportBundle(t.Context(), &whole, ExportRequest{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cut bytes.Buffer
	_, err := l.ExportBundle(ctx, &cancelAfter{w: &cut, n: 1, cancel: cancel}, ExportRequest{})
	if !errors.Is(err, context.Canceled) || cut.Len() >= whole.Len()/2 {
		t.Fatalf("export after cancel: %v, %d of %d bytes written", err, cut.Len(), whole.Len())
	}
}

// TestImportStopsWhenContextEnds: an import whose context ends keeps the
// entries it stored whole, reports them, and says it was interrupted,
// not that the file is damaged.
func TestImportStopsWhenContextEnds(t *testing.T) {
	src := filled(t, 300)
	var car bytes.Buffer
	if _, err := src.ExportBundle(t.Context(), &car, ExportRequest{}); err != nil {
		t.Fatal(err)
	}
	dst, _ := newLocal(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	rep, err := dst.ImportBundle(ctx, &cancelAfter{r: bytes.NewReader(car.Bytes()), n: car.Len() / 2, cancel: cancel})
	if !errors.Is(err, ErrInterrupted) || rep.New == 0 || rep.New >= 300 || rep.Damaged != "" {
		t.Fatalf("import after cancel: %+v, %v", rep, err)
	}
	again, err := dst.ImportBundle(t.Context(), bytes.NewReader(car.Bytes()))
	if err != nil || again.Known != rep.New || again.New != 300-rep.New {
		t.Fatalf("second import %+v %v, after %d stored", again, err, rep.New)
	}
}
