package wasm_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mesocosm/mycel/grid/wasm"
)

func TestCacheCompilesOnce(t *testing.T) {
	r, err := wasm.NewRunner(context.Background(), wasm.Options{MaxModules: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	spec := func(text string) wasm.Spec { return wasm.Spec{Job: []byte("j"), Module: hello(text)} }
	check := func(step string, compiles, hits uint64, cached int) {
		t.Helper()
		if s := r.Stats(); s.Compiles != compiles || s.Hits != hits || s.Cached != cached {
			t.Fatalf("%s: %+v, want %d compiles, %d hits, %d cached", step, s, compiles, hits, cached)
		}
	}
	run(t, r, spec("a\n"))
	if o := run(t, r, spec("a\n")); string(o.Stdout) != "a\n" {
		t.Fatalf("cached module: %+v", o)
	}
	check("same module twice", 1, 1, 1)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if o, err := r.Run(context.Background(), spec("b\n")); err != nil || string(o.Stdout) != "b\n" {
				t.Errorf("concurrent run: %+v, %v", o, err)
			}
		})
	}
	wg.Wait()
	check("8 runs at once of a new module", 2, 8, 2)

	run(t, r, spec("c\n")) // evicts "a\n", the least recently used
	check("a third module", 3, 8, 2)
	run(t, r, spec("b\n"))
	check("a module still cached", 3, 9, 2)
	run(t, r, spec("a\n"))
	check("an evicted module", 4, 9, 2)

	run(t, r, wasm.Spec{Job: []byte("j"), Module: []byte("not wasm")})
	if s := r.Stats(); s.Failures != 1 || s.Cached != 2 {
		t.Fatalf("failed compilation kept: %+v", s)
	}
}

// TestCacheGoModule runs the 4 MB Go module on the shared Runner: once
// it is there, another run finds it compiled.
func TestCacheGoModule(t *testing.T) {
	r := shared(t)
	s := job(t, "echo", "hi", "echo")
	run(t, r, s)
	before := r.Stats()
	t0 := time.Now()
	o := run(t, r, s)
	took := time.Since(t0)
	after := r.Stats()
	if after.Compiles != before.Compiles || after.Hits != before.Hits+1 || string(o.Stdout) != "hi" {
		t.Fatalf("second run: stats %+v then %+v, stdout %q", before, after, o.Stdout)
	}
	t.Logf("%d-byte module, cached: Run %v, of which the module ran %v", len(s.Module), took, o.Duration)
}
