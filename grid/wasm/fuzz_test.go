package wasm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mesocosm/mycel/grid/wasm"
)

// FuzzRun feeds mangled modules to one Runner: every one gives an Output
// or a refused Spec, never a panic, and the Runner keeps serving.
func FuzzRun(f *testing.F) {
	f.Add(hello("hello\n"))
	f.Add(tinyModule("wasi_snapshot_preview1", "_start", "x", trapCode))
	f.Add(tinyModule("env", "main", "x", printCode))
	r, err := wasm.NewRunner(context.Background(), wasm.Options{
		MaxModuleBytes: 1 << 16, MaxMemoryPages: 16, MaxTimeout: 100 * time.Millisecond, MaxOutput: 1 << 10,
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { r.Close() })
	f.Fuzz(func(t *testing.T, module []byte) {
		_, err := r.Run(context.Background(), wasm.Spec{Job: []byte("fuzz"), Module: module})
		if err != nil && !errors.Is(err, wasm.ErrSpec) {
			t.Fatalf("run: %v", err)
		}
		if o, err := r.Run(context.Background(), wasm.Spec{Job: []byte("j"), Module: hello("ok\n")}); err != nil || string(o.Stdout) != "ok\n" {
			t.Fatalf("after a mangled module: %+v, %v", o, err)
		}
	})
}
