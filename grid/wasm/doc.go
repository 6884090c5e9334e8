// Package wasm runs OpenGrid jobs: WebAssembly modules in a sandbox, in
// wazero, so that every honest provider running one job produces the
// same bytes.
//
// A job is a WASI preview 1 command (it exports _start and imports
// nothing but wasi_snapshot_preview1). It reads Spec.Input on stdin and
// writes its result to stdout; its arguments are Argv0 then Spec.Args. It
// has no files, no sockets, no environment variables and no real clock:
//
//   - the wall clock and the monotonic clock start at values derived from
//     Spec.Job and advance by Step at every reading, and by the time asked
//     for at every sleep, which returns at once;
//   - random bytes come from ChaCha8 seeded with a SHA-256 of Spec.Job;
//   - memory grows up to Spec.MemoryPages, and a module that fails after
//     a refused grow is reported as Memory;
//   - stdout is kept up to Spec.MaxOutput bytes: the first write past it
//     keeps what fits and stops the module (Truncated, OutputCut);
//   - the run is stopped at Spec.Timeout (Timeout); stderr is discarded.
//
// The values, so that any implementation can reproduce them
// (TestDeterminismRules checks them):
//
//	seed(use)  = SHA-256("mycel/grid/wasm/1 " || use || 0x00 || job)
//	wall start = 1e9 + LE64(seed("clock")[0:8]) mod 1e9 s, + LE64(seed("clock")[8:16]) mod 1e9 ns
//	mono start = LE64(seed("clock")[16:24]) mod 2^40 ns
//	random     = ChaCha8 (math/rand/v2) keyed with seed("rand")
//
// Every failure of the module is an Output.Err; Run returns an error only
// for a Spec it refuses (ErrSpec), an ended context or a closed Runner.
// A Runner is built once and shared: Run is safe for concurrent use, and
// a module's compiled code is cached under the SHA-256 of its bytes (and
// on disk with Options.CacheDir), so that only its first run compiles it.
//
//	r, err := wasm.NewRunner(ctx, wasm.Options{CacheDir: dir})
//	defer r.Close()
//	out, err := r.Run(ctx, wasm.Spec{Job: jobCID.Bytes(), Module: module, Input: input})
//	// out.Stdout, out.Exit, out.Err ("" when the module ran to its end)
package wasm
