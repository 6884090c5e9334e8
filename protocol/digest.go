package protocol

import (
	"crypto/sha256"
	"encoding/binary"
)

// DigestOf returns the entry's identity digest, sha2-256 of Payload,
// without encoding the entry again, and scratch (grown) for the next
// call. An opened block's bytes are the canonical encoding of its fields
// (Decode checks this), and the payload is that same map without its
// "sig" pair: in the length-first key order the pairs run v, seq, sig,
// ..., so the payload is the map head with one pair fewer, the v and seq
// pairs, and everything after the sig pair. Bytes of another shape fall back to IDOf.
func DigestOf(b Block, scratch []byte) ([32]byte, []byte, error) {
	start, end, ok := sigPair(b.Data)
	if !ok {
		id, err := IDOf(b.Entry)
		return id.Digest, scratch, err
	}
	p := append(scratch[:0], b.Data[0]-1)
	p = append(append(p, b.Data[1:start]...), b.Data[end:]...)
	return sha256.Sum256(p), p, nil
}

// sigPair locates the "sig" pair of an encoded entry: a map of at most 23
// pairs whose first keys are "v" and "seq" with unsigned values, then
// "sig" with a byte string.
func sigPair(d []byte) (start, end int, ok bool) {
	if len(d) < 1 || d[0] < 0xa1 || d[0] > 0xb7 {
		return 0, 0, false
	}
	off := 1
	for _, key := range []string{"\x61v", "\x63seq"} {
		if len(d) < off+len(key) || string(d[off:off+len(key)]) != key {
			return 0, 0, false
		}
		n, ok := headLen(d[off+len(key):], 0)
		if !ok {
			return 0, 0, false
		}
		off += len(key) + n
	}
	const sigKey = "\x63sig"
	if len(d) < off+len(sigKey) || string(d[off:off+len(sigKey)]) != sigKey {
		return 0, 0, false
	}
	start = off
	off += len(sigKey)
	n, ok := headLen(d[off:], 2)
	if !ok {
		return 0, 0, false
	}
	size := argument(d[off:], n)
	if size > uint64(len(d)-off-n) {
		return 0, 0, false
	}
	return start, off + n + int(size), true
}

// headLen returns the length of the CBOR head at d[0] of the given major
// type.
func headLen(d []byte, major byte) (int, bool) {
	if len(d) < 1 || d[0]>>5 != major {
		return 0, false
	}
	var n int
	switch ai := d[0] & 0x1f; {
	case ai < 24:
		n = 1
	case ai <= 27:
		n = 1 + 1<<(ai-24)
	default:
		return 0, false
	}
	return n, len(d) >= n
}

// argument returns the argument of a head of length n.
func argument(d []byte, n int) uint64 {
	switch n {
	case 1:
		return uint64(d[0] & 0x1f)
	case 2:
		return uint64(d[1])
	case 3:
		return uint64(binary.BigEndian.Uint16(d[1:]))
	case 5:
		return uint64(binary.BigEndian.Uint32(d[1:]))
	}
	return binary.BigEndian.Uint64(d[1:])
}

// Head reads the CBOR head at d[0], which must be of the given major
// type: its length in bytes and its argument.
func Head(d []byte, major byte) (n int, arg uint64, ok bool) {
	if n, ok = headLen(d, major); !ok {
		return 0, 0, false
	}
	return n, argument(d, n), true
}
