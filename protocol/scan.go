package protocol

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/ipfs/go-cid"
)

// CBOR major types.
const (
	majorUint  = 0
	majorNint  = 1
	majorBytes = 2
	majorText  = 3
	majorArray = 4
	majorMap   = 5
	majorTag   = 6
	majorOther = 7
)

// scanner checks one byte string against the canonical DAG-CBOR subset
// Mycel accepts, without building any value. It is the single gate that
// decides what "canonical" means; decoding into Go types comes after it.
type scanner struct {
	data []byte
	off  int
}

// Canonical reports whether data is exactly one canonical DAG-CBOR value of
// the subset Mycel uses: definite lengths, shortest integer and length
// forms, text map keys in length-first order without duplicates, no floats,
// no undefined or simple values, integers within [-2^63, 2^64-1], valid
// UTF-8 text, only tag 42 (a CID), nesting at most maxDepth, no trailing
// bytes. Errors wrap ErrNonCanonical or ErrMalformed and name the byte
// offset of the problem.
func Canonical(data []byte) error {
	s := scanner{data: data}
	if err := s.value(0); err != nil {
		return err
	}
	if s.off != len(data) {
		return fmt.Errorf("%w: %d trailing bytes after the value", ErrMalformed, len(data)-s.off)
	}
	return nil
}

func (s *scanner) malformed(at int, format string, args ...any) error {
	return fmt.Errorf("%w: byte %d: %s", ErrMalformed, at, fmt.Sprintf(format, args...))
}

// head reads an initial byte and its argument, insisting on the shortest
// form and rejecting indefinite lengths.
func (s *scanner) head() (major byte, ai byte, arg uint64, err error) {
	at := s.off
	if at >= len(s.data) {
		return 0, 0, 0, s.malformed(at, "unexpected end of data")
	}
	ib := s.data[at]
	major, ai = ib>>5, ib&31
	s.off++
	var n int
	switch {
	case ai < 24:
		return major, ai, uint64(ai), nil
	case ai == 24:
		n = 1
	case ai == 25:
		n = 2
	case ai == 26:
		n = 4
	case ai == 27:
		n = 8
	case ai == 31:
		if major == majorOther {
			return 0, 0, 0, s.malformed(at, "unexpected break code")
		}
		return 0, 0, 0, s.malformed(at, "indefinite-length item")
	default:
		return 0, 0, 0, s.malformed(at, "reserved additional information %d", ai)
	}
	if len(s.data)-s.off < n {
		return 0, 0, 0, s.malformed(at, "unexpected end of data")
	}
	var buf [8]byte
	copy(buf[8-n:], s.data[s.off:s.off+n])
	s.off += n
	arg = binary.BigEndian.Uint64(buf[:])
	if major == majorOther {
		return major, ai, arg, nil // floats and simple values: judged by the caller
	}
	if min := [...]uint64{24, 1 << 8, 1 << 16, 1 << 32}[ai-24]; arg < min {
		return 0, 0, 0, fmt.Errorf("%w: byte %d: integer or length %d not in its shortest form", ErrNonCanonical, at, arg)
	}
	return major, ai, arg, nil
}

// take returns the next n bytes of a string.
func (s *scanner) take(at int, n uint64) ([]byte, error) {
	if n > uint64(len(s.data)-s.off) {
		return nil, s.malformed(at, "string of %d bytes runs past the end", n)
	}
	b := s.data[s.off : s.off+int(n)]
	s.off += int(n)
	return b, nil
}

func (s *scanner) value(depth int) error {
	at := s.off
	if depth > maxDepth {
		return s.malformed(at, "nested deeper than %d", maxDepth)
	}
	major, ai, arg, err := s.head()
	if err != nil {
		return err
	}
	switch major {
	case majorUint:
		return nil
	case majorNint:
		if arg > math.MaxInt64 {
			return s.malformed(at, "negative integer below -2^63")
		}
		return nil
	case majorBytes:
		_, err := s.take(at, arg)
		return err
	case majorText:
		b, err := s.take(at, arg)
		if err == nil && !utf8.Valid(b) {
			err = s.malformed(at, "text is not valid UTF-8")
		}
		return err
	case majorArray:
		return s.array(at, arg, depth)
	case majorMap:
		return s.mapping(at, arg, depth)
	case majorTag:
		return s.link(at, arg)
	}
	return s.other(at, ai)
}

func (s *scanner) array(at int, n uint64, depth int) error {
	if n > uint64(len(s.data)-s.off) {
		return s.malformed(at, "array of %d items runs past the end", n)
	}
	for range n {
		if err := s.value(depth + 1); err != nil {
			return err
		}
	}
	return nil
}

// mapping checks a map: text keys, strictly increasing in length-first
// order (which also rules out duplicates), then each value.
func (s *scanner) mapping(at int, n uint64, depth int) error {
	if n > uint64(len(s.data)-s.off)/2 {
		return s.malformed(at, "map of %d pairs runs past the end", n)
	}
	var prev []byte
	for i := range n {
		kat := s.off
		major, _, size, err := s.head()
		if err != nil {
			return err
		}
		if major != majorText {
			return s.malformed(kat, "map key is major type %d, keys must be text", major)
		}
		key, err := s.take(kat, size)
		if err != nil {
			return err
		}
		if !utf8.Valid(key) {
			return s.malformed(kat, "map key is not valid UTF-8")
		}
		if i > 0 {
			switch c := lengthFirst(prev, key); {
			case c == 0:
				return s.malformed(kat, "duplicate map key %q", key)
			case c > 0:
				return fmt.Errorf("%w: byte %d: map key %q sorts before %q (length-first order)", ErrNonCanonical, kat, key, prev)
			}
		}
		prev = key
		if err := s.value(depth + 1); err != nil {
			return err
		}
	}
	return nil
}

// lengthFirst compares map keys as DAG-CBOR orders them: shorter first,
// then bytewise.
func lengthFirst(a, b []byte) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return bytes.Compare(a, b)
}

// link checks tag 42 over a byte string of 0x00 and a binary CID.
func (s *scanner) link(at int, tag uint64) error {
	if tag != linkTag {
		return s.malformed(at, "tag %d is not allowed, only 42 (CID)", tag)
	}
	cat := s.off
	major, _, n, err := s.head()
	if err != nil {
		return err
	}
	if major != majorBytes {
		return s.malformed(cat, "tag 42 must hold a byte string")
	}
	raw, err := s.take(cat, n)
	if err != nil {
		return err
	}
	if len(raw) < 2 || raw[0] != 0 {
		return s.malformed(cat, "tag 42 bytes must start with 0x00")
	}
	if _, err := cid.Cast(raw[1:]); err != nil {
		return s.malformed(cat, "tag 42 holds no valid CID: %v", err)
	}
	return nil
}

// other judges major type 7: only false, true and null are allowed.
func (s *scanner) other(at int, ai byte) error {
	switch {
	case ai >= 20 && ai <= 22:
		return nil
	case ai == 23:
		return s.malformed(at, "undefined is not allowed")
	case ai >= 25 && ai <= 27:
		return s.malformed(at, "floats are not allowed")
	}
	return s.malformed(at, "simple values are not allowed")
}

// topKeys returns the keys of the map data holds; data must have passed
// Canonical.
func topKeys(data []byte) ([]string, error) {
	s := scanner{data: data}
	major, _, n, err := s.head()
	if err != nil {
		return nil, err
	}
	if major != majorMap {
		return nil, s.malformed(0, "entry is major type %d, want a map", major)
	}
	keys := make([]string, 0, n)
	for range n {
		kat := s.off
		_, _, size, _ := s.head()
		key, _ := s.take(kat, size)
		keys = append(keys, string(key))
		if err := s.value(1); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
