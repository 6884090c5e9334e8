package wasm

import (
	"errors"
	"fmt"
	"math"
)

// reader reads the WebAssembly binary encoding from a byte slice. The
// first failure sticks; every read after it returns zero.
type reader struct {
	b   []byte
	err error
}

var errShort = errors.New("unexpected end")

// fail records err, the first one only; fail(nil) does nothing.
func (r *reader) fail(err error) {
	if r.err == nil && err != nil {
		r.err = err
		r.b = nil
	}
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.fail(errShort)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// leb reads an LEB128 number of at most max bytes.
func (r *reader) leb(max int) uint64 {
	var v uint64
	for i := 0; i < max && r.err == nil; i++ {
		c := r.byte()
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v
		}
	}
	r.fail(errors.New("LEB128 number too long"))
	return 0
}

func (r *reader) u32() uint32 {
	v := r.leb(5)
	if v > math.MaxUint32 {
		r.fail(errors.New("number exceeds 32 bits"))
		return 0
	}
	return uint32(v)
}

func (r *reader) skip(n uint64) {
	if r.err != nil {
		return
	}
	if n > uint64(len(r.b)) {
		r.fail(fmt.Errorf("%d bytes claimed, %d left", n, len(r.b)))
		return
	}
	r.b = r.b[n:]
}

// sub splits off the next n bytes as a reader of their own.
func (r *reader) sub(n uint32) *reader {
	s := &reader{b: r.b}
	r.skip(uint64(n))
	if r.err != nil {
		s.fail(r.err)
		return s
	}
	s.b = s.b[:n]
	return s
}

// count reads a vector's length and refuses one whose items, of at least
// min bytes each, could not fit in what is left.
func (r *reader) count(min int) uint32 {
	n := r.u32()
	if r.err == nil && uint64(n)*uint64(min) > uint64(len(r.b)) {
		r.fail(fmt.Errorf("vector of %d items in %d bytes", n, len(r.b)))
		return 0
	}
	return n
}

// each reads a vector's length, then calls item once per item.
func (r *reader) each(min int, item func()) {
	for n := r.count(min); n > 0 && r.err == nil; n-- {
		item()
	}
}

func (r *reader) name() string {
	n := r.u32()
	if r.err != nil || uint64(n) > uint64(len(r.b)) {
		r.fail(errShort)
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// limits reads a table's or memory's limits and returns the minimum.
func (r *reader) limits() uint32 {
	flag := r.byte()
	min := r.u32()
	if flag&1 != 0 {
		r.u32()
	}
	if flag > 3 {
		r.fail(fmt.Errorf("limits flag %#x", flag))
	}
	return min
}

// expr skips a constant expression up to its end opcode.
func (r *reader) expr() {
	for r.err == nil {
		switch op := r.byte(); op {
		case 0x0b: // end
			return
		case 0x41, 0x42: // i32.const, i64.const
			r.leb(10)
		case 0x43: // f32.const
			r.skip(4)
		case 0x44: // f64.const
			r.skip(8)
		case 0x23, 0xd2: // global.get, ref.func
			r.u32()
		case 0xd0: // ref.null
			r.byte()
		case 0xfd: // v128.const
			if r.u32() != 12 {
				r.fail(errors.New("vector opcode in a constant expression"))
			}
			r.skip(16)
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended constant arithmetic
		default:
			r.fail(fmt.Errorf("opcode %#x in a constant expression", op))
		}
	}
}
