package protocol

import (
	"bytes"
	"math"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// reader walks bytes that already passed Canonical, so it trusts their
// structure: every head is well formed, every length fits, every key is
// text in order. It only asks what type each item is.
type reader struct {
	data []byte
	off  int
}

// head reads an initial byte and its argument.
func (r *reader) head() (major byte, arg uint64) {
	ib := r.data[r.off]
	r.off++
	major, ai := ib>>5, ib&31
	if ai < 24 {
		return major, uint64(ai)
	}
	n := 1 << (ai - 24) // 24..27: 1, 2, 4, 8 bytes
	for _, b := range r.data[r.off : r.off+n] {
		arg = arg<<8 | uint64(b)
	}
	r.off += n
	return major, arg
}

// bytes returns the next n bytes of a string.
func (r *reader) bytes(n uint64) []byte {
	b := r.data[r.off : r.off+int(n) : r.off+int(n)]
	r.off += int(n)
	return b
}

// skip passes over one item. It reports false for an array or map of
// more than maxItems, which the typed decoder refuses.
func (r *reader) skip() bool {
	major, arg := r.head()
	switch major {
	case majorBytes, majorText:
		r.off += int(arg)
	case majorArray, majorMap:
		if arg > maxItems {
			return false
		}
		if major == majorMap {
			arg *= 2
		}
		for range arg {
			if !r.skip() {
				return false
			}
		}
	case majorTag:
		return r.skip()
	}
	return true
}

// int64 reads an integer that fits int64.
func (r *reader) int64() (int64, bool) {
	switch major, arg := r.head(); {
	case major == majorUint && arg <= math.MaxInt64:
		return int64(arg), true
	case major == majorNint: // Canonical bounds arg by MaxInt64
		return -1 - int64(arg), true
	}
	return 0, false
}

// typed reads a head that must be of major type want.
func (r *reader) typed(want byte) (uint64, bool) {
	major, arg := r.head()
	return arg, major == want
}

// str reads a byte or text string of major type want.
func (r *reader) str(want byte) ([]byte, bool) {
	n, ok := r.typed(want)
	if !ok {
		return nil, false
	}
	return r.bytes(n), true
}

// Entry fields as bits, for telling which ones a map held.
const (
	hasV = 1 << iota
	hasSeq
	hasSig
	hasBody
	hasKind
	hasTime
	hasAuthor
	hasDistrict
	hasAll = hasV | hasSeq | hasSig | hasBody | hasKind | hasTime | hasAuthor | hasDistrict
)

// sigSpan is where the "sig" pair (key and value) sits in an entry's
// bytes; the zero span means unknown.
type sigSpan struct{ at, end int }

// readEntry reads an entry from data, which must have passed Canonical, in
// one pass. It reports ok only when every field is present with the one
// CBOR type its canonical encoding has (a non-empty sig, prev a link whose
// CID re-encodes to the same bytes), which makes data exactly the encoding
// of the entry returned: no re-encoding needed to prove it. Anything else
// (unknown, missing or null fields, wrong types) is left to the general
// decoder, which names the problem. The entry's byte fields share one copy
// of data, never data itself.
func readEntry(data []byte) (e Entry, sig sigSpan, ok bool) {
	r := reader{data: bytes.Clone(data)}
	n, ok := r.typed(majorMap)
	if !ok {
		return Entry{}, sig, false
	}
	seen := 0
	for range n {
		at := r.off
		klen, _ := r.typed(majorText)
		key := r.bytes(klen)
		bit, ok := r.field(&e, string(key))
		if !ok {
			return Entry{}, sig, false
		}
		if bit == hasSig {
			sig = sigSpan{at, r.off}
		}
		seen |= bit
	}
	return e, sig, seen == hasAll
}

// field reads the value of the field key into e and returns its bit (0
// for prev, which is optional).
func (r *reader) field(e *Entry, key string) (int, bool) {
	var ok bool
	switch key {
	case "v":
		e.V, ok = r.typed(majorUint)
		return hasV, ok
	case "seq":
		e.Seq, ok = r.typed(majorUint)
		return hasSeq, ok
	case "time":
		e.Time, ok = r.int64()
		return hasTime, ok
	case "sig":
		e.Sig, ok = r.str(majorBytes)
		return hasSig, ok && len(e.Sig) > 0
	case "author":
		var b []byte
		b, ok = r.str(majorBytes)
		e.Author = peer.ID(b)
		return hasAuthor, ok
	case "kind":
		var b []byte
		b, ok = r.str(majorText)
		e.Kind = string(b)
		return hasKind, ok
	case "district":
		var b []byte
		b, ok = r.str(majorText)
		e.District = string(b)
		return hasDistrict, ok
	case "body":
		at := r.off
		ok = r.data[at]>>5 == majorMap && r.skip()
		e.Body = r.data[at:r.off:r.off]
		return hasBody, ok
	case "prev":
		e.Prev, ok = r.link()
		return 0, ok
	}
	return 0, false
}

// link reads tag 42 over 0x00 and a binary CID that re-encodes to the
// same bytes.
func (r *reader) link() (cid.Cid, bool) {
	if tag, ok := r.typed(majorTag); !ok || tag != linkTag {
		return cid.Undef, false
	}
	raw, ok := r.str(majorBytes)
	if !ok || len(raw) < 2 || raw[0] != 0 {
		return cid.Undef, false
	}
	c, err := cid.Cast(raw[1:])
	if err != nil || c.KeyString() != string(raw[1:]) {
		return cid.Undef, false
	}
	return c, true
}
