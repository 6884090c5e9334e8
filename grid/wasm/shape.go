package wasm

import (
	"errors"
	"fmt"
)

// Caps on a module's shape, checked before wazero decodes it.
const (
	// MaxLocals caps the locals one function declares, the limit of the
	// browsers' engines.
	MaxLocals = 50_000
	// MaxTableElements caps the elements of all tables together.
	MaxTableElements = 1 << 22
)

// checkShape walks a module's sections and refuses one whose vector
// counts, name lengths, locals or tables would make the decoder reserve
// more memory than the module's own size justifies: wazero's decoder
// allocates a vector's items from its count before reading them, so 128
// bytes claiming ten billion imports would stop the whole process. It
// checks sizes only; wazero validates the rest. Modules shorter than a
// header are left to wazero's error.
func checkShape(m []byte) error {
	if len(m) < 8 {
		return nil
	}
	r := &reader{b: m[8:]}
	var tables uint64
	for len(r.b) > 0 && r.err == nil {
		id := r.byte()
		s := r.sub(r.u32())
		if r.err == nil {
			section(id, s, &tables)
		}
		if s.err == nil && tables > MaxTableElements {
			s.err = fmt.Errorf("tables of %d elements exceed %d", tables, MaxTableElements)
		}
		if s.err != nil {
			return fmt.Errorf("malformed module: section %d: %w", id, s.err)
		}
	}
	if r.err != nil {
		return fmt.Errorf("malformed module: %w", r.err)
	}
	return nil
}

// section checks one section's content, adding its tables' initial
// elements to tables.
func section(id byte, s *reader, tables *uint64) {
	switch id {
	case 0:
		if s.name() == "name" {
			names(s)
		}
	case 1:
		s.each(3, func() {
			if s.byte() != 0x60 {
				s.fail(errors.New("type is not a function type"))
			}
			s.skip(uint64(s.count(1)))
			s.skip(uint64(s.count(1)))
		})
	case 2:
		s.each(4, func() { s.name(); s.name(); importDesc(s, tables) })
	case 3, 5, 13:
		s.count(1)
	case 4:
		s.each(3, func() { table(s, tables) })
	case 6:
		s.each(3, func() { s.byte(); s.byte(); s.expr() })
	case 7:
		s.each(3, func() { s.name(); s.byte(); s.u32() })
	case 8, 12:
	case 9:
		s.each(3, func() { element(s) })
	case 10:
		s.each(2, func() {
			body := s.sub(s.u32())
			locals(body)
			s.fail(body.err)
		})
	case 11:
		s.each(2, func() { data(s) })
	default:
		s.fail(errors.New("unknown section"))
	}
}

func importDesc(s *reader, tables *uint64) {
	switch s.byte() {
	case 0:
		s.u32()
	case 1:
		s.byte()
		*tables += uint64(s.limits())
	case 2:
		s.limits()
	case 3:
		s.byte()
		s.byte()
	case 4:
		s.byte()
		s.u32()
	default:
		s.fail(errors.New("unknown import kind"))
	}
}

func table(s *reader, tables *uint64) {
	init := s.byte() == 0x40
	if init {
		s.byte()
		s.byte()
	}
	*tables += uint64(s.limits())
	if init {
		s.expr()
	}
}

// element checks one element segment in any of its eight encodings.
func element(s *reader) {
	flag := s.u32()
	if flag > 7 {
		s.fail(fmt.Errorf("element segment flag %d", flag))
		return
	}
	if flag&3 == 2 {
		s.u32() // table index
	}
	if flag&1 == 0 {
		s.expr() // offset
	}
	if flag&3 != 0 {
		s.byte() // element kind or reference type
	}
	if flag&4 == 0 {
		s.each(1, func() { s.u32() })
	} else {
		s.each(2, s.expr)
	}
}

// locals checks one function body's local declarations.
func locals(b *reader) {
	var n uint64
	b.each(2, func() {
		n += uint64(b.u32())
		if t := b.byte(); t == 0x63 || t == 0x64 {
			b.fail(errors.New("typed reference local"))
		}
	})
	if n > MaxLocals {
		b.fail(fmt.Errorf("function declares %d locals, more than %d", n, MaxLocals))
	}
}

func data(s *reader) {
	switch s.u32() {
	case 0:
		s.expr()
	case 1:
	case 2:
		s.u32()
		s.expr()
	default:
		s.fail(errors.New("unknown data segment kind"))
	}
	s.skip(uint64(s.u32()))
}

// names checks the name section's subsections: module, function and
// local names.
func names(s *reader) {
	for len(s.b) > 0 && s.err == nil {
		id := s.byte()
		sub := s.sub(s.u32())
		switch id {
		case 0:
			sub.name()
		case 1:
			nameMap(sub)
		case 2:
			sub.each(2, func() { sub.u32(); nameMap(sub) })
		}
		if sub.err != nil {
			s.fail(fmt.Errorf("name subsection %d: %w", id, sub.err))
		}
	}
}

func nameMap(s *reader) {
	s.each(2, func() { s.u32(); s.name() })
}
