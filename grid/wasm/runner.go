package wasm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Defaults of Options.
const (
	DefaultMaxModuleBytes = 64 << 20
	DefaultMaxModules     = 16
	DefaultMaxMemoryPages = 4096 // 256 MiB
	DefaultMaxTimeout     = 30 * time.Second
	DefaultMaxOutput      = 4 << 20
)

// ErrClosed is returned by Run once Close has been called, and by runs the
// close stopped.
var ErrClosed = errors.New("wasm: runner closed")

// Options configures a Runner. The zero value works: every cap takes its
// default, and compiled code is kept in memory only.
type Options struct {
	// CacheDir, when set, keeps compiled machine code in this directory
	// too, so that another Runner or a restarted process loads it instead
	// of compiling again. Empty: in memory only.
	CacheDir string
	// MaxModuleBytes caps a module's size. Default 64 MiB.
	MaxModuleBytes int
	// MaxModules caps the compiled modules kept in memory, least recently
	// used dropped first. Default 16.
	MaxModules int
	// MaxMemoryPages caps a job's memory in 64 KiB pages, and is the cap
	// of a Spec that names none. Default 4096 (256 MiB).
	MaxMemoryPages uint32
	// MaxTimeout caps a job's wall-clock time, and is the timeout of a
	// Spec that names none. Default 30 s.
	MaxTimeout time.Duration
	// MaxOutput caps a job's stdout in bytes, and is the cap of a Spec
	// that names none. Default 4 MiB.
	MaxOutput int
	// CompileWorkers is the number of goroutines that compile one module.
	// Default GOMAXPROCS.
	CompileWorkers int
	// Interpreter runs modules in wazero's interpreter instead of its
	// compiler: no compile step to speak of, slower runs.
	Interpreter bool
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	o.MaxModuleBytes = orDefault(o.MaxModuleBytes, DefaultMaxModuleBytes)
	o.MaxModules = orDefault(o.MaxModules, DefaultMaxModules)
	o.MaxMemoryPages = orDefault(o.MaxMemoryPages, DefaultMaxMemoryPages)
	o.MaxTimeout = orDefault(o.MaxTimeout, DefaultMaxTimeout)
	o.MaxOutput = orDefault(o.MaxOutput, DefaultMaxOutput)
	o.CompileWorkers = orDefault(o.CompileWorkers, runtime.GOMAXPROCS(0))
	return o
}

// validate refuses options no Runner can honour.
func (o Options) validate() error {
	switch {
	case o.MaxModuleBytes < 0, o.MaxModules < 0, o.MaxTimeout < 0, o.MaxOutput < 0, o.CompileWorkers < 0:
		return errors.New("wasm: negative cap in Options; use zero for the default")
	case o.MaxMemoryPages > 65536:
		return fmt.Errorf("wasm: MaxMemoryPages %d exceeds the 65536 pages (4 GiB) of a 32-bit memory", o.MaxMemoryPages)
	}
	return nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Stats counts a Runner's compilation cache.
type Stats struct {
	Compiles uint64 // modules compiled (or loaded from CacheDir)
	Hits     uint64 // runs that found their module compiled
	Failures uint64 // compilations that failed
	Cached   int    // compiled modules held now
}

// Runner runs WebAssembly jobs in a sandbox. Build one with NewRunner and
// share it: Run is safe for concurrent use, and a module's compiled code
// is kept for the next job that names the same bytes.
type Runner struct {
	opts  Options
	rt    wazero.Runtime
	disk  wazero.CompilationCache // nil without CacheDir
	cache *cache

	life   context.Context // ends at Close; stops the runs in flight
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and wg.Add against Close
	closed bool
	wg     sync.WaitGroup
}

// NewRunner builds a Runner: one wazero runtime with WASI preview 1 and
// nothing else to import. It fails on invalid Options or an unusable
// CacheDir.
func NewRunner(ctx context.Context, o Options) (*Runner, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	cfg := wazero.NewRuntimeConfig()
	if o.Interpreter {
		cfg = wazero.NewRuntimeConfigInterpreter()
	}
	// Without debug info the decoder skips custom sections instead of
	// copying them, and trap messages name no source files.
	cfg = cfg.WithCloseOnContextDone(true).WithMemoryLimitPages(o.MaxMemoryPages).WithDebugInfoEnabled(false)
	r := &Runner{opts: o, cache: newCache(o.MaxModules)}
	if o.CacheDir != "" {
		disk, err := wazero.NewCompilationCacheWithDir(o.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("wasm: compilation cache %s: %w", o.CacheDir, err)
		}
		r.disk = disk
		cfg = cfg.WithCompilationCache(disk)
	}
	r.rt = wazero.NewRuntimeWithConfig(context.Background(), cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, r.rt); err != nil {
		r.closeRuntime()
		return nil, fmt.Errorf("wasm: wasi: %w", err)
	}
	r.life, r.cancel = context.WithCancel(context.Background())
	return r, nil
}

// Stats returns the compilation cache's counters.
func (r *Runner) Stats() Stats { return r.cache.snapshot() }

// Close stops the runs in flight (they return ErrClosed), waits for them
// and frees the compiled code. It is safe to call twice.
func (r *Runner) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	r.wg.Wait()
	return r.closeRuntime()
}

func (r *Runner) closeRuntime() error {
	err := r.rt.Close(context.Background())
	if r.disk != nil {
		err = errors.Join(err, r.disk.Close(context.Background()))
	}
	return err
}

// enter registers a run, or refuses it after Close.
func (r *Runner) enter() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	r.wg.Add(1)
	return nil
}

// compile returns the module's compiled code from the cache, compiling it
// on a miss.
func (r *Runner) compile(ctx context.Context, module []byte) (*compiled, error) {
	return r.cache.get(ctx, keyOf(module), func() (wazero.CompiledModule, error) {
		if err := checkShape(module); err != nil {
			return nil, err
		}
		cctx := experimental.WithCompilationWorkers(context.Background(), r.opts.CompileWorkers)
		return r.rt.CompileModule(cctx, module)
	})
}
