package wasm

import "github.com/tetratelabs/wazero/experimental"

// memoryCap backs the linear memories of one run and refuses to grow them
// past a limit, remembering that it did: a module stopped after a refusal
// ran out of memory. The runtime's own page limit is the runner's ceiling;
// memoryCap holds each run to its job's lower one without compiling the
// module once per limit.
type memoryCap struct {
	limit   uint64 // bytes
	refused bool
}

// Allocate implements experimental.MemoryAllocator.
func (m *memoryCap) Allocate(_, _ uint64) experimental.LinearMemory {
	return &linear{cap: m}
}

// linear is one linear memory held under a memoryCap.
type linear struct {
	cap *memoryCap
	buf []byte
}

// Reallocate grows the memory to size bytes, or returns nil past the
// limit. Bytes past the old length are zero: the memory never shrinks, so
// the spare capacity was never written.
//
// A memory that starts above the limit gets its bytes all the same, since
// wazero cannot refuse a memory's start: the run notes the refusal and
// stops before _start. The start is bounded by the runner's page limit.
func (l *linear) Reallocate(size uint64) []byte {
	if size > l.cap.limit {
		l.cap.refused = true
		if l.buf != nil {
			return nil
		}
	}
	if size <= uint64(cap(l.buf)) {
		l.buf = l.buf[:size]
		return l.buf
	}
	// Double the capacity, up to the limit, so that a module growing page
	// by page does not copy its memory at every step.
	room := max(size, min(2*uint64(cap(l.buf)), l.cap.limit))
	buf := make([]byte, size, room)
	copy(buf, l.buf)
	l.buf = buf
	return buf
}

// Free implements experimental.LinearMemory.
func (l *linear) Free() { l.buf = nil }
