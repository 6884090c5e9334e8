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

// Spin is a WASI preview 1 command that counts to n in a loop and then
// prints "ok": a job whose run time benchmarks choose.
func Spin(n uint32) []byte {
	leb := func(v uint32) []byte { // signed LEB128 of an i32 constant
		var out []byte
		x := int64(int32(v))
		for {
			b := byte(x & 0x7f)
			x >>= 7
			if (x == 0 && b&0x40 == 0) || (x == -1 && b&0x40 != 0) {
				return append(out, b)
			}
			out = append(out, b|0x80)
		}
	}
	body := []byte{0x01, 0x01, 0x7f} // one i32 local
	body = append(body, 0x03, 0x40,  // loop
		0x20, 0x00, 0x41, 0x01, 0x6a, 0x22, 0x00, 0x41) // i = i + 1; i <
	body = append(body, leb(n)...)
	body = append(body, 0x49, 0x0d, 0x00, 0x0b, // lt_u; br_if 0; end
		0x41, 0x08, 0x41) // memory[8] = "ok\n"
	body = append(body, leb(0x000a6b6f)...)
	body = append(body, 0x36, 0x02, 0x00,
		0x41, 0x00, 0x41, 0x08, 0x36, 0x02, 0x00, // iovec.buf = 8
		0x41, 0x04, 0x41, 0x03, 0x36, 0x02, 0x00, // iovec.len = 3
		0x41, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x14, 0x10, 0x00, 0x1a, // fd_write(1, iovec, 1, &w)
		0x0b)
	return module([]string{"fd_write"}, body)
}

// module assembles a WASI command: the given wasi_snapshot_preview1
// imports, all of type (i32 i32 i32 i32) -> i32, one page of exported
// memory, and _start with body (its locals and code).
func module(imports []string, body []byte) []byte {
	wasi := "wasi_snapshot_preview1"
	section := func(id byte, content []byte) []byte {
		return append(append([]byte{id}, uleb(uint32(len(content)))...), content...)
	}
	types := []byte{0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00}
	imps := []byte{byte(len(imports))}
	for _, name := range imports {
		imps = append(imps, byte(len(wasi)))
		imps = append(imps, wasi...)
		imps = append(imps, byte(len(name)))
		imps = append(imps, name...)
		imps = append(imps, 0x00, 0x00)
	}
	start := byte(len(imports))
	exports := append([]byte{0x02, 0x06}, "memory"...)
	exports = append(exports, 0x02, 0x00, 0x06)
	exports = append(exports, "_start"...)
	exports = append(exports, 0x00, start)
	code := append([]byte{0x01}, uleb(uint32(len(body)))...)
	code = append(code, body...)
	m := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}
	m = append(m, section(1, types)...)
	m = append(m, section(2, imps)...)
	m = append(m, section(3, []byte{0x01, 0x01})...)
	m = append(m, section(5, []byte{0x01, 0x00, 0x01})...)
	m = append(m, section(7, exports)...)
	m = append(m, section(10, code)...)
	return m
}

// uleb is the unsigned LEB128 of v.
func uleb(v uint32) []byte {
	var out []byte
	for {
		b := byte(v & 0x7f)
		if v >>= 7; v == 0 {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}
