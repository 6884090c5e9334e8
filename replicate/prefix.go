package replicate

import (
	"fmt"
	"math"
)

// Tree shape: every node has fanout children, one per next 4-bit nibble of
// the author key; a key has maxDepth nibbles.
const (
	fanout   = 16
	maxDepth = 16
	hashSize = 16 // bytes of a node hash on the wire
)

// prefix names a node of the hash tree: the first depth nibbles of a key,
// held in the top bits of bits.
type prefix struct {
	depth int
	bits  uint64
}

// span returns the smallest and largest key under p.
func (p prefix) span() (lo, hi uint64) {
	if p.depth == 0 {
		return 0, math.MaxUint64
	}
	shift := uint(64 - 4*p.depth)
	return p.bits, p.bits | (1<<shift - 1)
}

// child returns p extended by nibble x.
func (p prefix) child(x int) prefix {
	return prefix{depth: p.depth + 1, bits: p.bits | uint64(x)<<uint(60-4*p.depth)}
}

// nibbles is p's wire form: one byte (0-15) per nibble.
func (p prefix) nibbles() []byte {
	out := make([]byte, p.depth)
	for i := range out {
		out[i] = byte(p.bits >> uint(60-4*i) & 0xf)
	}
	return out
}

// parsePrefix reads a wire prefix.
func parsePrefix(b []byte) (prefix, error) {
	if len(b) > maxDepth {
		return prefix{}, fmt.Errorf("%w: prefix of %d nibbles, limit %d", ErrMalformed, len(b), maxDepth)
	}
	p := prefix{}
	for _, x := range b {
		if x >= fanout {
			return prefix{}, fmt.Errorf("%w: nibble %d", ErrMalformed, x)
		}
		p = p.child(int(x))
	}
	return p, nil
}

// under reports whether key k lies under p.
func (p prefix) under(k uint64) bool {
	lo, hi := p.span()
	return k >= lo && k <= hi
}

// id is p as a map key.
func (p prefix) id() [2]uint64 { return [2]uint64{uint64(p.depth), p.bits} }
