package main

import (
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// plainMin is the smallest known total that gets plain progress lines.
const plainMin = 4 << 20

// meter counts the bytes of a bundle going through: a progress bar on
// stderr when stderr is a terminal; otherwise, for a known total of at
// least plainMin bytes, a plain line at each quarter; nothing in --json
// mode.
type meter struct {
	bar   *progressbar.ProgressBar
	plain io.Writer
	what  string
	total int64
	done  int64
	shown int64 // quarters printed
}

func (a *app) meter(what string, total int64) *meter {
	m := &meter{what: what, total: total}
	switch {
	case a.json:
	case isTerminal(a.stderr):
		m.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(a.stderr), progressbar.OptionSetDescription(what),
			progressbar.OptionShowBytes(true), progressbar.OptionShowTotalBytes(true),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(20),
			progressbar.OptionSpinnerType(14), progressbar.OptionClearOnFinish())
	case total >= plainMin:
		m.plain = a.stderr
	}
	return m
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func (m *meter) add(n int) {
	m.done += int64(n)
	if m.bar != nil {
		m.bar.Add(n)
		return
	}
	for m.plain != nil && m.shown < 3 && m.done*4 >= (m.shown+1)*m.total {
		m.shown++
		fmt.Fprintf(m.plain, "%s: %d%% (%d of %d bytes)\n", m.what, m.shown*25, m.done, m.total)
	}
}

func (m *meter) finish() {
	if m.bar != nil {
		m.bar.Finish()
	}
}

// reader counts what r reads.
func (m *meter) reader(r io.Reader) io.Reader { return &meterIO{m: m, r: r} }

// writer counts what goes to w.
func (m *meter) writer(w io.Writer) io.Writer { return &meterIO{m: m, w: w} }

type meterIO struct {
	m *meter
	r io.Reader
	w io.Writer
}

func (x *meterIO) Read(p []byte) (int, error) {
	n, err := x.r.Read(p)
	x.m.add(n)
	return n, err
}

func (x *meterIO) Write(p []byte) (int, error) {
	n, err := x.w.Write(p)
	x.m.add(n)
	return n, err
}
