package wasm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"
)

// Reasons a run failed, in Output.Err. Trap and NotCommand are followed by
// ": " and the first line of the cause.
const (
	Timeout    = "timeout"            // stopped at Spec.Timeout
	Memory     = "memory"             // failed after its memory reached Spec.MemoryPages
	OutputCut  = "output cut"         // stopped at its first write past Spec.MaxOutput
	Trap       = "trap"               // a WebAssembly trap: unreachable, out of bounds, ...
	NotCommand = "not a WASI command" // not valid WebAssembly, no _start, or other imports
)

// Output is what a run produced. Honest runners give byte-identical
// Stdout, Truncated, Exit and Err for one Spec; only a timeout, and
// Duration, depend on the machine.
type Output struct {
	// Stdout is what the module wrote to stdout, at most Spec.MaxOutput
	// bytes.
	Stdout []byte
	// Truncated reports that the module wrote more and was stopped.
	Truncated bool
	// Exit is the module's exit code: its proc_exit argument, or 0 when
	// _start returned. It is 0 when the runner stopped the module.
	Exit uint32
	// Duration is the wall-clock time of the run, compilation excluded.
	Duration time.Duration
	// Err is empty when the module ran to its end, whatever its exit
	// code, and otherwise one of the reasons above.
	Err string
}

// wasi is the only module a job may import from.
const wasi = "wasi_snapshot_preview1"

// causeError is a reason a run was stopped, given as its context's cause.
type causeError string

func (e causeError) Error() string { return string(e) }

var (
	errTimeout  = causeError(Timeout)
	errCanceled = causeError("canceled")
)

// Run runs a job's module to its end, or until it is stopped, and reports
// what it did. Three things might happen:
//
//   - the Spec is refused before anything runs: an error wrapping ErrSpec;
//   - ctx ends or the Runner is closed during the run: ctx's error or
//     ErrClosed, and no Output;
//   - otherwise an Output and a nil error, whether the module succeeded,
//     failed or was stopped: see Output.Err.
//
// The module sees Spec.Input on stdin, Argv0 and Spec.Args as arguments,
// no environment variables, no files, no sockets, clocks and random bytes
// derived from Spec.Job; its stderr is discarded.
func (r *Runner) Run(ctx context.Context, s Spec) (o Output, err error) {
	if err := r.enter(); err != nil {
		return Output{}, err
	}
	defer r.wg.Done()
	defer func() {
		if p := recover(); p != nil {
			o, err = Output{}, fmt.Errorf("wasm run: internal error: %v", p)
		}
	}()
	if s, err = s.resolve(r.opts); err != nil {
		return Output{}, err
	}
	c, err := r.compile(ctx, s.Module)
	if err != nil {
		if ctx.Err() != nil {
			return Output{}, fmt.Errorf("wasm run: %w", ctx.Err())
		}
		return Output{Err: NotCommand + ": " + firstLine(err)}, nil
	}
	defer r.cache.release(c)
	if why := notCommand(c.mod); why != "" {
		return Output{Err: NotCommand + ": " + why}, nil
	}
	if memoryMin(c.mod) > s.MemoryPages {
		return Output{Err: Memory}, nil
	}
	return r.run(ctx, c.mod, s)
}

// notCommand says why a compiled module is no WASI command, or "".
func notCommand(m wazero.CompiledModule) string {
	start, ok := m.ExportedFunctions()["_start"]
	if !ok {
		return "no _start export"
	}
	if len(start.ParamTypes()) > 0 || len(start.ResultTypes()) > 0 {
		return "_start takes parameters or returns results"
	}
	for _, f := range m.ImportedFunctions() {
		if mod, name, _ := f.Import(); mod != wasi {
			return fmt.Sprintf("imports %s.%s", mod, name)
		}
	}
	if len(m.ImportedMemories()) > 0 {
		return "imports a memory"
	}
	return ""
}

// memoryMin is the number of pages the module's exported memories start
// with; the memoryCap catches an unexported one.
func memoryMin(m wazero.CompiledModule) uint32 {
	var n uint32
	for _, d := range m.ExportedMemories() {
		n = max(n, d.Min())
	}
	return n
}

// run instantiates the module in its sandbox and calls _start.
func (r *Runner) run(ctx context.Context, m wazero.CompiledModule, s Spec) (Output, error) {
	base, stop := context.WithCancelCause(context.Background())
	defer stop(nil)
	defer context.AfterFunc(ctx, func() { stop(errCanceled) })()
	defer context.AfterFunc(r.life, func() { stop(ErrClosed) })()
	timed, cancel := context.WithTimeoutCause(base, s.Timeout, errTimeout)
	defer cancel()
	mem := &memoryCap{limit: uint64(s.MemoryPages) << 16}
	run := experimental.WithMemoryAllocator(timed, mem)
	out := &capped{max: s.MaxOutput, stop: stop}
	begin := time.Now()
	mod, err := r.rt.InstantiateModule(run, m, sandbox(s, out))
	if err != nil {
		return r.stopped(ctx, Output{}, run, NotCommand+": "+firstLine(err))
	}
	defer mod.Close(context.Background())
	if mem.refused {
		return Output{Err: Memory}, nil
	}
	_, err = mod.ExportedFunction("_start").Call(run)
	o := Output{Stdout: out.buf, Truncated: out.cut, Duration: time.Since(begin)}
	return r.stopped(ctx, o, run, failure(&o, err, mem.refused))
}

// sandbox is a job's module configuration: stdin, stdout, arguments,
// clocks and random bytes, and nothing else. No name, so that one
// compiled module can run many times at once; no start function, so that
// instantiation and _start fail apart.
func sandbox(s Spec, out io.Writer) wazero.ModuleConfig {
	clk := newClock(s.Job)
	return wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions().
		WithArgs(argv(s.Args)...).
		WithStdin(bytes.NewReader(s.Input)).
		WithStdout(out).
		WithStderr(io.Discard).
		WithWalltime(clk.walltime, Step).
		WithNanotime(clk.nanotime, Step).
		WithNanosleep(clk.nanosleep).
		WithRandSource(randSource(s.Job))
}

// failure sets o.Exit from the error _start returned and gives the
// reason for Output.Err, "" for a module that ran to its end.
func failure(o *Output, err error, refused bool) string {
	var exit *sys.ExitError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &exit):
		o.Exit = exit.ExitCode()
		if refused && o.Exit != 0 {
			return Memory
		}
		return ""
	case refused:
		return Memory
	}
	return Trap + ": " + firstLine(err)
}

// stopped gives the Output, unless the run was stopped from outside, in
// which case the cause overrides reason: a timeout or an output cut is
// an Output, a closed Runner or an ended ctx an error.
func (r *Runner) stopped(ctx context.Context, o Output, run context.Context, reason string) (Output, error) {
	switch cause := context.Cause(run); cause {
	case nil:
	case ErrClosed:
		return Output{}, ErrClosed
	case errCanceled:
		return Output{}, fmt.Errorf("wasm run: %w", ctx.Err())
	case errOutputCut, errTimeout:
		o.Exit, reason = 0, cause.Error()
	}
	o.Err = reason
	return o, nil
}

// firstLine is the first line of an error's message.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
