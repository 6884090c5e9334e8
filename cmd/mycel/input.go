package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// stdio is the file name that means standard input or output.
const stdio = "-"

// input is a file a command reads, "-" for stdin.
type input struct {
	io.Reader
	size  int64 // -1 when not known (stdin, a pipe)
	close func()
}

// openInput opens path for reading, "-" meaning stdin. A FIFO's open
// blocks until a writer comes and a pipe's read until bytes come, in
// system calls that no signal ends; such inputs are read by a goroutine,
// and the reader returned fails as soon as ctx ends, so that Ctrl-C or
// SIGTERM stops the command at once. A regular file is read directly.
func (a *app) openInput(ctx context.Context, path string) (*input, error) {
	if path == stdio {
		return pump(ctx, "stdin", func() (io.ReadCloser, error) { return io.NopCloser(a.stdin), nil }), nil
	}
	st, err := os.Stat(path)
	switch {
	case err != nil && os.IsNotExist(err):
		return nil, fmt.Errorf("no such file: %s", path)
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", path, err)
	case st.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a file", path)
	case !st.Mode().IsRegular():
		return pump(ctx, path, func() (io.ReadCloser, error) { return os.Open(path) }), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &input{Reader: ctxReader{ctx: ctx, r: f}, size: st.Size(), close: func() { f.Close() }}, nil
}

// pump opens and copies a source in a goroutine through a pipe whose
// read end is closed when ctx ends; a goroutine still blocked in open or
// read is left behind, the process is about to exit.
func pump(ctx context.Context, name string, open func() (io.ReadCloser, error)) *input {
	pr, pw := io.Pipe()
	go func() {
		src, err := open()
		if err != nil {
			pw.CloseWithError(fmt.Errorf("read %s: %w", name, err))
			return
		}
		defer src.Close()
		_, err = io.Copy(pw, src)
		if err != nil {
			err = fmt.Errorf("read %s: %w", name, err)
		}
		pw.CloseWithError(err)
	}()
	stop := context.AfterFunc(ctx, func() { pr.CloseWithError(ctx.Err()) })
	return &input{Reader: ctxReader{ctx: ctx, r: pr}, size: -1, close: func() { stop(); pr.Close() }}
}

// ctxReader fails every read once ctx has ended.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	if err != nil && c.ctx.Err() != nil {
		err = c.ctx.Err()
	}
	return n, err
}

// readInput reads a whole input of at most limit bytes, "-" for stdin,
// with one-line errors; a read cut by ctx gives an interrupted failure.
func (a *app) readInput(ctx context.Context, path string, limit int64) ([]byte, error) {
	in, err := a.openInput(ctx, path)
	if err != nil {
		return nil, err
	}
	defer in.close()
	if in.size > limit {
		return nil, fmt.Errorf("%s is %d bytes, limit %d", path, in.size, limit)
	}
	data, err := io.ReadAll(io.LimitReader(in, limit+1))
	switch {
	case ctx.Err() != nil:
		return nil, interruptedErr("nothing was read from %s, nothing changed", inputName(path))
	case err != nil && !errors.Is(err, io.EOF):
		return nil, err
	case int64(len(data)) > limit:
		return nil, fmt.Errorf("%s is over %d bytes", inputName(path), limit)
	}
	return data, nil
}

// inputName is how messages name an input.
func inputName(path string) string {
	if path == stdio {
		return "stdin"
	}
	return path
}
