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
