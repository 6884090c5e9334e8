package wasm_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mesocosm/mycel/grid/wasm"
)

func TestEcho(t *testing.T) {
	r := shared(t)
	for _, c := range []struct {
		name, input string
		args        []string
		want        string
		exit        uint32
	}{
		{"echo", "hello, grid\n", []string{"echo"}, "hello, grid\n", 0},
		{"upper", "hello, grid\n", []string{"upper"}, "HELLO, GRID\n", 0},
		{"args", "", []string{"args", "two words", "", "ünï"}, "job\nargs\ntwo words\n\nünï\n", 0},
		{"empty input", "", []string{"echo"}, "", 0},
		{"exit code", "", []string{"exit", "7"}, "", 7},
		{"bad mode", "", []string{"nonesuch"}, "", 64},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := run(t, r, job(t, c.name, c.input, c.args...))
			if string(o.Stdout) != c.want || o.Exit != c.exit || o.Err != "" || o.Truncated {
				t.Fatalf("got %+v, want stdout %q exit %d", o, c.want, c.exit)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	r := shared(t)
	first := run(t, r, job(t, "job-1", "", "clock"))
	if first.Err != "" || first.Exit != 0 || len(first.Stdout) == 0 {
		t.Fatalf("clock job: %+v", first)
	}
	year := strings.Fields(string(first.Stdout))[1]
	if year < "2001" || year > "2033" {
		t.Fatalf("wall clock starts in %s, want 2001-2033", year)
	}
	for i := range 3 {
		if o := run(t, r, job(t, "job-1", "", "clock")); !bytes.Equal(o.Stdout, first.Stdout) {
			t.Fatalf("run %d: %q, first run %q", i+2, o.Stdout, first.Stdout)
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if o, err := r.Run(context.Background(), job(t, "job-1", "", "clock")); err != nil || !bytes.Equal(o.Stdout, first.Stdout) {
				t.Errorf("concurrent run: %q, %v; first run %q", o.Stdout, err, first.Stdout)
			}
		})
	}
	wg.Wait()
	other, err := newRunner(wasm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if o := run(t, other, job(t, "job-1", "", "clock")); !bytes.Equal(o.Stdout, first.Stdout) {
		t.Fatalf("second runner: %q, first %q", o.Stdout, first.Stdout)
	}
	if o := run(t, r, job(t, "job-2", "", "clock")); bytes.Equal(o.Stdout, first.Stdout) {
		t.Fatalf("another job read the same clocks and random bytes: %q", o.Stdout)
	}
}

func TestTimeout(t *testing.T) {
	r := shared(t)
	s := job(t, "loop", "", "loop")
	s.Timeout = 200 * time.Millisecond
	o := run(t, r, s)
	if o.Err != wasm.Timeout || o.Exit != 0 {
		t.Fatalf("got %+v, want Err %q", o, wasm.Timeout)
	}
	// Duration counts from the module's start, the timeout from the run's
	// (instantiation included): it may read a little under the timeout.
	if o.Duration < s.Timeout/2 || o.Duration > s.Timeout+5*time.Second {
		t.Fatalf("stopped after %v, timeout %v", o.Duration, s.Timeout)
	}
	stillServes(t, r)
}

func TestMemory(t *testing.T) {
	r := shared(t)
	s := job(t, "bomb", "", "bomb")
	s.MemoryPages = 1024 // 64 MiB
	o := run(t, r, s)
	if o.Err != wasm.Memory {
		t.Fatalf("got Err %q exit %d, want %q", o.Err, o.Exit, wasm.Memory)
	}
	lines := strings.Split(strings.TrimSpace(string(o.Stdout)), "\n")
	if last := lines[len(lines)-1]; len(lines) > 64 || !strings.HasSuffix(last, " MiB") {
		t.Fatalf("the bomb held %d MiB under a 64 MiB cap (last line %q)", len(lines), last)
	}
	stillServes(t, r)

	// A module that starts with more memory than the job allows does
	// not run at all.
	small := job(t, "small", "x", "echo")
	small.MemoryPages = 1
	if o := run(t, r, small); o.Err != wasm.Memory || len(o.Stdout) > 0 {
		t.Fatalf("module larger than its cap at start: %+v", o)
	}
	// Nor does one whose memory, not exported, starts above the cap:
	// (module (memory 2) (func (export "_start") unreachable)).
	hidden := raw(section(1, []byte{1, 0x60, 0, 0}), section(3, []byte{1, 0}), section(5, []byte{1, 0, 2}),
		section(7, []byte{1}, str("_start"), []byte{0, 0}), section(10, []byte{1, 3, 0, 0x00, 0x0b}))
	if o := run(t, r, wasm.Spec{Job: []byte("hidden"), Module: hidden, MemoryPages: 1}); o.Err != wasm.Memory {
		t.Fatalf("unexported memory above its cap at start: %+v", o)
	}
	if o := run(t, r, wasm.Spec{Job: []byte("hidden"), Module: hidden, MemoryPages: 2}); o.Err != wasm.Trap+": wasm error: unreachable" {
		t.Fatalf("unexported memory within its cap: %+v", o)
	}
	stillServes(t, r)
}

func TestSandbox(t *testing.T) {
	r := shared(t)
	o := run(t, r, job(t, "escape", "", "escape"))
	out := string(o.Stdout)
	if strings.Contains(out, "root:") || strings.Contains(out, "read ") || strings.Contains(out, "dialled") ||
		strings.Contains(out, "environment") || strings.Contains(out, "listed") {
		t.Fatalf("the module reached outside its sandbox:\n%s", out)
	}
	if o.Exit != 0 || o.Err != "" || !strings.Contains(out, "open:") || !strings.Contains(out, "dial:") {
		t.Fatalf("got %+v, want both attempts to fail and exit 0:\n%s", o, out)
	}
	stillServes(t, r)
}

func TestOutputCut(t *testing.T) {
	r := shared(t)
	s := job(t, "flood", "", "flood")
	s.MaxOutput = 10_000
	o := run(t, r, s)
	if o.Err != wasm.OutputCut || !o.Truncated || len(o.Stdout) != s.MaxOutput {
		t.Fatalf("flood: Err %q Truncated %v %d bytes, want %q, true, %d", o.Err, o.Truncated, len(o.Stdout), wasm.OutputCut, s.MaxOutput)
	}
	stillServes(t, r)

	in := strings.Repeat("abcdefghij", 100)
	for _, c := range []struct {
		cap int
		cut bool
	}{{1000, false}, {999, true}, {1, true}} {
		s := job(t, "edge", in, "echo")
		s.MaxOutput = c.cap
		o := run(t, r, s)
		if o.Truncated != c.cut || string(o.Stdout) != in[:min(c.cap, len(in))] {
			t.Fatalf("cap %d: Truncated %v, %d bytes", c.cap, o.Truncated, len(o.Stdout))
		}
		if c.cut != (o.Err == wasm.OutputCut) {
			t.Fatalf("cap %d: Err %q", c.cap, o.Err)
		}
	}
}

func TestModuleFailures(t *testing.T) {
	r := shared(t)
	for _, c := range []struct {
		name   string
		module []byte
		want   string
	}{
		{"not wasm", []byte("#!/bin/sh\necho hi\n"), wasm.NotCommand + ": "},
		{"truncated", hello("hi\n")[:30], wasm.NotCommand + ": "},
		{"no _start", tinyModule("wasi_snapshot_preview1", "main", "hi\n", printCode), wasm.NotCommand + ": no _start export"},
		{"other import", tinyModule("env", "_start", "hi\n", printCode), wasm.NotCommand + ": imports env.fd_write"},
		{"trap", tinyModule("wasi_snapshot_preview1", "_start", "hi\n", trapCode), wasm.Trap + ": wasm error: unreachable"},
		{"stack overflow", raw(section(1, []byte{1, 0x60, 0, 0}), section(3, []byte{1, 0}), // (func (export "_start") (call 0))
			section(7, []byte{1}, str("_start"), []byte{0, 0}), section(10, []byte{1, 4, 0, 0x10, 0, 0x0b})), wasm.Trap + ": stack overflow"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := run(t, r, wasm.Spec{Job: []byte(c.name), Module: c.module})
			if !strings.HasPrefix(o.Err, c.want) || strings.Contains(o.Err, "\n") {
				t.Fatalf("Err %q, want %q", o.Err, c.want)
			}
		})
	}
	stillServes(t, r)
}

func TestSpecRefused(t *testing.T) {
	r, err := wasm.NewRunner(context.Background(), wasm.Options{MaxModuleBytes: 1000, MaxMemoryPages: 16, MaxTimeout: time.Second, MaxOutput: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ok := wasm.Spec{Job: []byte("j"), Module: hello("hi\n")}
	for _, c := range []struct {
		name string
		edit func(*wasm.Spec)
	}{
		{"no job", func(s *wasm.Spec) { s.Job = nil }},
		{"no module", func(s *wasm.Spec) { s.Module = nil }},
		{"module too large", func(s *wasm.Spec) { s.Module = make([]byte, 1001) }},
		{"memory", func(s *wasm.Spec) { s.MemoryPages = 17 }},
		{"timeout", func(s *wasm.Spec) { s.Timeout = 2 * time.Second }},
		{"negative timeout", func(s *wasm.Spec) { s.Timeout = -1 }},
		{"output", func(s *wasm.Spec) { s.MaxOutput = 101 }},
		{"NUL in argument", func(s *wasm.Spec) { s.Args = []string{"a\x00b"} }},
		{"too many arguments", func(s *wasm.Spec) { s.Args = make([]string, wasm.MaxArgs+1) }},
		{"arguments too long", func(s *wasm.Spec) { s.Args = []string{strings.Repeat("a", wasm.MaxArgBytes)} }},
	} {
		s := ok
		c.edit(&s)
		if _, err := r.Run(context.Background(), s); !isSpec(err) {
			t.Errorf("%s: err %v, want ErrSpec", c.name, err)
		}
	}
	if o := run(t, r, ok); string(o.Stdout) != "hi\n" {
		t.Fatalf("valid spec: %+v", o)
	}
	if _, err := wasm.NewRunner(context.Background(), wasm.Options{MaxMemoryPages: 65537}); err == nil {
		t.Fatal("NewRunner took 65537 memory pages")
	}
}

func TestCanceled(t *testing.T) {
	r := shared(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := job(t, "loop", "", "loop")
	s.Timeout = 20 * time.Second
	done := make(chan error, 1)
	go func() {
		_, err := r.Run(ctx, s)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	stillServes(t, r)
}

func TestClose(t *testing.T) {
	r, err := newRunner(wasm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := job(t, "loop", "", "loop")
	s.Timeout = 20 * time.Second
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		close(started)
		_, err := r.Run(context.Background(), s)
		done <- err
	}()
	<-started
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil && !errors.Is(err, wasm.ErrClosed) {
		t.Fatalf("run during Close: %v, want ErrClosed", err)
	}
	if _, err := r.Run(context.Background(), s); !errors.Is(err, wasm.ErrClosed) {
		t.Fatalf("run after Close: %v, want ErrClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestConcurrent(t *testing.T) {
	r := shared(t)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for i := range 8 {
		wg.Go(func() {
			in := strings.Repeat(string(rune('a'+i)), 1000*(i+1))
			o, err := r.Run(context.Background(), job(t, in[:1], in, "upper"))
			if err != nil || string(o.Stdout) != strings.ToUpper(in) {
				errs <- in[:1] + ": " + o.Err
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestInterpreter(t *testing.T) {
	r, err := wasm.NewRunner(context.Background(), wasm.Options{Interpreter: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if o := run(t, r, job(t, "upper", "abc", "upper")); string(o.Stdout) != "ABC" || o.Err != "" {
		t.Fatalf("upper: %+v", o)
	}
	compiled := run(t, shared(t), job(t, "job-1", "", "clock"))
	if o := run(t, r, job(t, "job-1", "", "clock")); !bytes.Equal(o.Stdout, compiled.Stdout) {
		t.Fatalf("interpreter %q, compiler %q", o.Stdout, compiled.Stdout)
	}
	s := job(t, "loop", "", "loop")
	s.Timeout = 100 * time.Millisecond
	if o := run(t, r, s); o.Err != wasm.Timeout {
		t.Fatalf("loop: %+v", o)
	}
}
