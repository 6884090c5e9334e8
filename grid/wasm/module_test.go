package wasm_test

// Small hand-assembled WebAssembly modules, for the tests that need no Go
// runtime: they compile in microseconds.

// leb is the unsigned LEB128 encoding of n.
func leb(n int) []byte {
	var b []byte
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// str is a WebAssembly name: its length, then its bytes.
func str(s string) []byte { return append(leb(len(s)), s...) }

// section is a module section: its id, its length, its content.
func section(id byte, content ...[]byte) []byte {
	var c []byte
	for _, p := range content {
		c = append(c, p...)
	}
	return append(append([]byte{id}, leb(len(c))...), c...)
}

// Code of _start.
var (
	// printCode calls fd_write(1, iovec at 0, 1 iovec, written at 8).
	printCode = []byte{0x41, 1, 0x41, 0, 0x41, 1, 0x41, 8, 0x10, 0, 0x1a}
	// trapCode executes unreachable.
	trapCode = []byte{0x00}
)

// tinyModule assembles a module that imports importMod.fd_write, exports
// a one-page memory and a function named export whose code is code, and
// holds text at 16 with an iovec for it at 0:
//
//	(module
//	  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
//	  (memory (export "memory") 1)
//	  (func (export "_start") (drop (call 0 (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
//	  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
//	  (data (i32.const 16) "hello\n"))
func tinyModule(importMod, export, text string, code []byte) []byte {
	m := []byte{0x00, 'a', 's', 'm', 1, 0, 0, 0}
	m = append(m, section(1, []byte{2, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f, 0x60, 0, 0})...)
	m = append(m, section(2, []byte{1}, str(importMod), str("fd_write"), []byte{0, 0})...)
	m = append(m, section(3, []byte{1, 1})...)
	m = append(m, section(5, []byte{1, 0, 1})...)
	m = append(m, section(7, []byte{2}, str(export), []byte{0, 1}, str("memory"), []byte{2, 0})...)
	body := append(append([]byte{0}, code...), 0x0b)
	m = append(m, section(10, []byte{1}, leb(len(body)), body)...)
	iovec := []byte{16, 0, 0, 0, byte(len(text)), 0, 0, 0}
	m = append(m, section(11, []byte{2},
		[]byte{0, 0x41, 0, 0x0b}, leb(len(iovec)), iovec,
		[]byte{0, 0x41, 16, 0x0b}, str(text))...)
	return m
}

// hello writes text to stdout.
func hello(text string) []byte {
	return tinyModule("wasi_snapshot_preview1", "_start", text, printCode)
}

// clockModule reads the wall clock, then the monotonic clock, then 16
// random bytes, and writes the 32 bytes they fill to stdout: the raw
// values a job sees, with no runtime of a language between.
//
//	(module
//	  (import "wasi_snapshot_preview1" "fd_write" (func 0 (param i32 i32 i32 i32) (result i32)))
//	  (import "wasi_snapshot_preview1" "clock_time_get" (func 1 (param i32 i64 i32) (result i32)))
//	  (import "wasi_snapshot_preview1" "random_get" (func 2 (param i32 i32) (result i32)))
//	  (memory (export "memory") 1)
//	  (data (i32.const 0) "\64\00\00\00\20\00\00\00") ;; iovec: 32 bytes at 100
//	  (func (export "_start")
//	    (drop (call 1 (i32.const 0) (i64.const 1) (i32.const 100)))  ;; realtime
//	    (drop (call 1 (i32.const 1) (i64.const 1) (i32.const 108)))  ;; monotonic
//	    (drop (call 2 (i32.const 116) (i32.const 16)))
//	    (drop (call 0 (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
func clockModule() []byte {
	const wasi = "wasi_snapshot_preview1"
	m := []byte{0x00, 'a', 's', 'm', 1, 0, 0, 0}
	m = append(m, section(1, []byte{4,
		0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f,
		0x60, 0, 0,
		0x60, 3, 0x7f, 0x7e, 0x7f, 1, 0x7f,
		0x60, 2, 0x7f, 0x7f, 1, 0x7f})...)
	m = append(m, section(2, []byte{3},
		str(wasi), str("fd_write"), []byte{0, 0},
		str(wasi), str("clock_time_get"), []byte{0, 2},
		str(wasi), str("random_get"), []byte{0, 3})...)
	m = append(m, section(3, []byte{1, 1})...)
	m = append(m, section(5, []byte{1, 0, 1})...)
	m = append(m, section(7, []byte{2}, str("_start"), []byte{0, 3}, str("memory"), []byte{2, 0})...)
	body := []byte{0,
		0x41, 0, 0x42, 1, 0x41, 0xe4, 0, 0x10, 1, 0x1a,
		0x41, 1, 0x42, 1, 0x41, 0xec, 0, 0x10, 1, 0x1a,
		0x41, 0xf4, 0, 0x41, 16, 0x10, 2, 0x1a,
		0x41, 1, 0x41, 0, 0x41, 1, 0x41, 8, 0x10, 0, 0x1a,
		0x0b}
	m = append(m, section(10, []byte{1}, leb(len(body)), body)...)
	m = append(m, section(11, []byte{1, 0, 0x41, 0, 0x0b, 8, 100, 0, 0, 0, 32, 0, 0, 0})...)
	return m
}
