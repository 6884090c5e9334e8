package wasm_test

import (
	"context"
	"testing"
	"time"

	"github.com/mesocosm/mycel/grid/wasm"
)

// BenchmarkCache runs one module with the compilation cache and without
// it in every iteration, so that both see the same machine load, and
// reports the time of each and their ratio:
//
//	cached-ms    Run on a Runner that holds the module compiled
//	uncached-ms  NewRunner, Run (compiling the module), Close
//	disk-ms      the same on a CacheDir another Runner filled: the
//	             compiled code loaded from disk
//	run-ms       the module's own run (Output.Duration) in the cached case
//	runner-ms    NewRunner and Close alone, part of uncached-ms and disk-ms
//	x-uncached   uncached / cached
func BenchmarkCache(b *testing.B) {
	for _, c := range []struct {
		name string
		spec func(testing.TB) wasm.Spec
	}{
		{"trivial", func(testing.TB) wasm.Spec { return wasm.Spec{Job: []byte("j"), Module: hello("hi\n")} }},
		{"go-echo", func(t testing.TB) wasm.Spec { return job(t, "j", "hi", "echo") }},
	} {
		b.Run(c.name, func(b *testing.B) { benchCache(b, c.spec(b)) })
	}
}

func benchCache(b *testing.B, s wasm.Spec) {
	ctx := context.Background()
	warm, err := wasm.NewRunner(ctx, wasm.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer warm.Close()
	run(b, warm, s)
	dir := b.TempDir()
	fill, err := wasm.NewRunner(ctx, wasm.Options{CacheDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	run(b, fill, s)
	fill.Close()
	var cached, uncached, disk, ran, runner time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		o := run(b, warm, s)
		cached += time.Since(t0)
		ran += o.Duration

		uncached += timeFresh(b, s, wasm.Options{})
		disk += timeFresh(b, s, wasm.Options{CacheDir: dir})
		t0 = time.Now()
		r, err := wasm.NewRunner(ctx, wasm.Options{})
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
		runner += time.Since(t0)
	}
	n := float64(b.N) * float64(time.Millisecond)
	b.ReportMetric(float64(cached)/n, "cached-ms")
	b.ReportMetric(float64(uncached)/n, "uncached-ms")
	b.ReportMetric(float64(disk)/n, "disk-ms")
	b.ReportMetric(float64(ran)/n, "run-ms")
	b.ReportMetric(float64(runner)/n, "runner-ms")
	b.ReportMetric(float64(uncached)/float64(cached), "x-uncached")
	b.ReportMetric(0, "ns/op")
}

// timeFresh times NewRunner, one Run and Close.
func timeFresh(b *testing.B, s wasm.Spec, o wasm.Options) time.Duration {
	t0 := time.Now()
	r, err := wasm.NewRunner(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	run(b, r, s)
	r.Close()
	return time.Since(t0)
}
