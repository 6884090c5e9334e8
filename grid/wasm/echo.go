package wasm

// Echo is a WASI preview 1 command of 200-odd bytes, assembled by hand:
// it copies up to 60,000 bytes of stdin to stdout. It needs no toolchain,
// so demos and benchmarks can run a real module anywhere.
var Echo = assemble()

func assemble() []byte {
	wasi := "wasi_snapshot_preview1"
	imp := func(name string) []byte {
		b := append([]byte{byte(len(wasi))}, wasi...)
		b = append(b, byte(len(name)))
		b = append(b, name...)
		return append(b, 0x00, 0x00) // a function of type 0
	}
	body := []byte{
		0x00,                                           // no locals
		0x41, 0x00, 0x41, 0x80, 0x08, 0x36, 0x02, 0x00, // iovec[0].buf = 1024
		0x41, 0x04, 0x41, 0xe0, 0xd4, 0x03, 0x36, 0x02, 0x00, // iovec[0].len = 60000
		0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0x41, 0x10, 0x10, 0x00, 0x1a, // fd_read(0, iovec, 1, &n at 16)
		0x41, 0x04, 0x41, 0x10, 0x28, 0x02, 0x00, 0x36, 0x02, 0x00, // iovec[0].len = n
		0x41, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x14, 0x10, 0x01, 0x1a, // fd_write(1, iovec, 1, &w at 20)
		0x0b, // end
	}
	section := func(id byte, content []byte) []byte {
		return append([]byte{id, byte(len(content))}, content...)
	}
	types := []byte{0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00}
	imports := append([]byte{0x02}, append(imp("fd_read"), imp("fd_write")...)...)
	exports := append([]byte{0x02, 0x06}, "memory"...)
	exports = append(exports, 0x02, 0x00, 0x06)
	exports = append(exports, "_start"...)
	exports = append(exports, 0x00, 0x02)
	code := append([]byte{0x01, byte(len(body))}, body...)
	m := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}
	m = append(m, section(1, types)...)
	m = append(m, section(2, imports)...)
	m = append(m, section(3, []byte{0x01, 0x01})...)
	m = append(m, section(5, []byte{0x01, 0x00, 0x01})...)
	m = append(m, section(7, exports)...)
	m = append(m, section(10, code)...)
	return m
}
