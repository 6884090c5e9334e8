package wasm_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/mesocosm/mycel/grid/wasm"
)

// scratch holds the test binary's built modules and compilation cache.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mycel-grid-wasm-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	if r := sharedRunner; r != nil {
		r.Close()
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildOnce sync.Once
	jobWasm   []byte
	buildErr  error
	skipWhy   string
)

// jobModule returns testdata/job built for wasip1, built once per test
// binary. It skips the test when no go tool is at hand to build it.
func jobModule(t testing.TB) []byte {
	t.Helper()
	buildOnce.Do(func() { jobWasm, skipWhy, buildErr = build("job") })
	if skipWhy != "" {
		t.Skip(skipWhy)
	}
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return jobWasm
}

// build compiles ./testdata/name with GOOS=wasip1 GOARCH=wasm.
func build(name string) (module []byte, skip string, err error) {
	tool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(tool); err != nil {
		if tool, err = exec.LookPath("go"); err != nil {
			return nil, "no go tool in GOROOT/bin or PATH to build the test modules with GOOS=wasip1", nil
		}
	}
	out := filepath.Join(scratch, name+".wasm")
	cmd := exec.Command(tool, "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./testdata/"+name)
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, "", fmt.Errorf("build testdata/%s: %v\n%s", name, err, msg)
	}
	module, err = os.ReadFile(out)
	return module, "", err
}

var (
	sharedOnce   sync.Once
	sharedRunner *wasm.Runner
	sharedErr    error
)

// shared is the Runner most tests share, so that the Go module compiles
// once per test binary; it keeps its compiled code in scratch.
func shared(t testing.TB) *wasm.Runner {
	t.Helper()
	sharedOnce.Do(func() { sharedRunner, sharedErr = newRunner(wasm.Options{}) })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedRunner
}

// newRunner builds a Runner on the test binary's compilation cache.
func newRunner(o wasm.Options) (*wasm.Runner, error) {
	o.CacheDir = filepath.Join(scratch, "cache")
	return wasm.NewRunner(context.Background(), o)
}

// job is a Spec for the Go test module in one of its modes.
func job(t testing.TB, id string, input string, args ...string) wasm.Spec {
	return wasm.Spec{Job: []byte(id), Module: jobModule(t), Input: []byte(input), Args: args}
}

// run runs s on r and fails the test on an error.
func run(t testing.TB, r *wasm.Runner, s wasm.Spec) wasm.Output {
	t.Helper()
	o, err := r.Run(context.Background(), s)
	if err != nil {
		t.Fatalf("run %v: %v", s.Args, err)
	}
	return o
}

// stillServes checks that r runs the echo job correctly.
func stillServes(t *testing.T, r *wasm.Runner) {
	t.Helper()
	o := run(t, r, job(t, "echo", "still here", "echo"))
	if string(o.Stdout) != "still here" || o.Err != "" || o.Exit != 0 {
		t.Fatalf("echo after failure: %+v", o)
	}
}

// isSpec reports whether err is a refused Spec.
func isSpec(err error) bool { return errors.Is(err, wasm.ErrSpec) }
