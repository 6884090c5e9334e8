package wasm

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrSpec is wrapped by the errors Run returns for a Spec the runner
// refuses before running anything.
var ErrSpec = errors.New("wasm: bad job")

// Argv0 is the program name a module sees as its first argument.
const Argv0 = "job"

// Caps on a job's arguments.
const (
	MaxArgs     = 1024
	MaxArgBytes = 64 << 10
)

// Spec is one job to run.
type Spec struct {
	// Job is the job's identity (its CID's bytes). It seeds the module's
	// clocks and random bytes, so two runs of one job see the same ones,
	// and two jobs different ones. Required.
	Job []byte
	// Module is the WebAssembly binary: a WASI preview 1 command, which
	// exports _start and imports nothing but wasi_snapshot_preview1.
	Module []byte
	// Input is the module's stdin.
	Input []byte
	// Args follow Argv0 in the module's arguments. No NUL bytes; at most
	// MaxArgs of them, MaxArgBytes in all.
	Args []string
	// MemoryPages caps the module's memory in 64 KiB pages. Zero: the
	// runner's MaxMemoryPages.
	MemoryPages uint32
	// Timeout caps the run's wall-clock time. Zero: the runner's
	// MaxTimeout.
	Timeout time.Duration
	// MaxOutput caps stdout in bytes. Zero: the runner's MaxOutput.
	MaxOutput int
}

// resolve returns s with its zero caps set from o, or an ErrSpec error
// naming the first field out of bounds and its remedy.
func (s Spec) resolve(o Options) (Spec, error) {
	s.MemoryPages = orDefault(s.MemoryPages, o.MaxMemoryPages)
	s.Timeout = orDefault(s.Timeout, o.MaxTimeout)
	s.MaxOutput = orDefault(s.MaxOutput, o.MaxOutput)
	switch {
	case len(s.Job) == 0:
		return s, fmt.Errorf("%w: no job identity; set Spec.Job to the job's CID", ErrSpec)
	case len(s.Module) == 0:
		return s, fmt.Errorf("%w: empty module", ErrSpec)
	case len(s.Module) > o.MaxModuleBytes:
		return s, fmt.Errorf("%w: module of %d bytes exceeds the runner's %d", ErrSpec, len(s.Module), o.MaxModuleBytes)
	case s.MemoryPages > o.MaxMemoryPages:
		return s, fmt.Errorf("%w: %d memory pages exceed the runner's %d", ErrSpec, s.MemoryPages, o.MaxMemoryPages)
	case s.Timeout < 0 || s.Timeout > o.MaxTimeout:
		return s, fmt.Errorf("%w: timeout %v outside the runner's 0-%v", ErrSpec, s.Timeout, o.MaxTimeout)
	case s.MaxOutput < 0 || s.MaxOutput > o.MaxOutput:
		return s, fmt.Errorf("%w: output cap %d outside the runner's 0-%d", ErrSpec, s.MaxOutput, o.MaxOutput)
	}
	return s, checkArgs(s.Args)
}

// checkArgs bounds the arguments and refuses NUL bytes, which C strings
// in the module cannot carry.
func checkArgs(args []string) error {
	if len(args) > MaxArgs {
		return fmt.Errorf("%w: %d arguments exceed %d", ErrSpec, len(args), MaxArgs)
	}
	n := 0
	for i, a := range args {
		n += len(a) + 1
		if strings.IndexByte(a, 0) >= 0 {
			return fmt.Errorf("%w: argument %d holds a NUL byte", ErrSpec, i+1)
		}
	}
	if n > MaxArgBytes {
		return fmt.Errorf("%w: arguments of %d bytes exceed %d", ErrSpec, n, MaxArgBytes)
	}
	return nil
}

// argv is the module's argument vector.
func argv(args []string) []string {
	return append([]string{Argv0}, args...)
}
