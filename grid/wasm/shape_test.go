package wasm_test

import (
	"strings"
	"testing"

	"github.com/mesocosm/mycel/grid/wasm"
)

// huge is 0xffffffff in LEB128.
var huge = []byte{0xff, 0xff, 0xff, 0xff, 0x0f}

// raw is a module header followed by sections.
func raw(sections ...[]byte) []byte {
	m := []byte{0x00, 'a', 's', 'm', 1, 0, 0, 0}
	for _, s := range sections {
		m = append(m, s...)
	}
	return m
}

// TestHostileShapes feeds modules of a few bytes whose counts claim
// gigabytes. Each one wazero's decoder would have reserved before reading
// (the first, found by FuzzRun, stopped the process with "fatal error:
// runtime: out of memory"); each is refused as malformed, and the Runner
// keeps serving.
func TestHostileShapes(t *testing.T) {
	r := shared(t)
	for _, c := range []struct {
		name   string
		module []byte
	}{
		{"imports", raw(section(2, huge, []byte{0}))},
		{"types", raw(section(1, huge))},
		{"type params", raw(section(1, []byte{1, 0x60}, huge))},
		{"functions", raw(section(3, huge))},
		{"exports", raw(section(7, huge))},
		{"export name", raw(section(7, []byte{1}, huge, []byte{0, 0}))},
		{"globals", raw(section(6, huge))},
		{"elements", raw(section(9, huge))},
		{"element functions", raw(section(9, []byte{1, 1, 0}, huge))},
		{"element expressions", raw(section(9, []byte{1, 5, 0x70}, huge))},
		{"code", raw(section(10, huge))},
		{"locals", raw(section(10, []byte{1, 7, 1}, huge, []byte{0x7f}))},
		{"locals summed", raw(section(10, []byte{1, 7, 2, 0x80, 0x80, 0x02, 0x7f, 0x80, 0x80, 0x02, 0x7f, 0x0b}))},
		{"data", raw(section(11, huge))},
		{"data bytes", raw(section(11, []byte{1, 1}, huge))},
		{"table", raw(section(4, []byte{1, 0x70, 0}, []byte{0x80, 0x80, 0x80, 0x40}))},
		{"imported table", raw(section(2, []byte{1}, str("m"), str("t"), []byte{1, 0x70, 0}, []byte{0x80, 0x80, 0x80, 0x40}))},
		{"custom name", raw(section(0, huge))},
		{"function names", raw(section(0, str("name"), []byte{1, 5}, huge))},
		{"local names", raw(section(0, str("name"), []byte{2, 7, 1, 0}, huge))},
		{"section size", raw([]byte{1}, huge)},
		{"unknown section", raw(section(99))},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := run(t, r, wasm.Spec{Job: []byte(c.name), Module: c.module})
			if !strings.HasPrefix(o.Err, wasm.NotCommand+": malformed module: ") {
				t.Fatalf("Err %q, want a malformed module", o.Err)
			}
		})
	}
	stillServes(t, r)
}
