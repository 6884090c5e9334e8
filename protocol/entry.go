package protocol

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/fxamacker/cbor/v2"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Version is the entry format version this package reads and writes.
const Version = 1

// Entry is one record in an author's log. Body holds the canonical DAG-CBOR
// map of the kind's body (see Kinds); Sig is empty until the entry is signed.
type Entry struct {
	V        uint64
	Author   peer.ID
	Seq      uint64  // 1, 2, 3, ... per author
	Prev     cid.Cid // CID of entry Seq-1; cid.Undef when Seq is 1
	Time     int64   // unix milliseconds, the author's claim
	Kind     string
	District string // "" for the global scope
	Body     []byte
	Sig      []byte
}

// wire is the entry's DAG-CBOR form. Field keys are sorted length-first on
// encoding, as DAG-CBOR requires.
type wire struct {
	V        uint64          `cbor:"v"`
	Author   []byte          `cbor:"author"`
	Seq      uint64          `cbor:"seq"`
	Prev     *Link           `cbor:"prev,omitempty"`
	Time     int64           `cbor:"time"`
	Kind     string          `cbor:"kind"`
	District string          `cbor:"district"`
	Body     cbor.RawMessage `cbor:"body"`
	Sig      []byte          `cbor:"sig,omitempty"`
}

var (
	kindPattern     = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	districtPattern = regexp.MustCompile(`^([a-z0-9][a-z0-9._-]{0,62}(/[a-z0-9][a-z0-9._-]{0,62}){0,3})?$`)
)

// ValidDistrict reports whether name is a well-formed district name:
// lowercase path segments such as "meso-valley/north", or "" for global.
func ValidDistrict(name string) bool { return districtPattern.MatchString(name) }

func (e Entry) toWire(withSig bool) wire {
	w := wire{
		V: e.V, Author: []byte(e.Author), Seq: e.Seq, Time: e.Time,
		Kind: e.Kind, District: e.District, Body: e.Body,
	}
	if e.Prev.Defined() {
		w.Prev = &Link{e.Prev}
	}
	if withSig {
		w.Sig = e.Sig
	}
	return w
}

func (w wire) entry() Entry {
	e := Entry{
		V: w.V, Author: peer.ID(w.Author), Seq: w.Seq, Time: w.Time,
		Kind: w.Kind, District: w.District, Body: w.Body, Sig: w.Sig,
	}
	if w.Prev != nil {
		e.Prev = w.Prev.Cid
	}
	return e
}

// Encode returns the canonical DAG-CBOR bytes of the signed entry.
func Encode(e Entry) ([]byte, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	data, err := encMode.Marshal(e.toWire(true))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(data) > MaxEntrySize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxEntrySize)
	}
	return data, nil
}

// Decode parses data strictly: it must be one canonical DAG-CBOR entry of a
// known version within MaxEntrySize. Decode does not check the signature;
// Open does.
func Decode(data []byte) (Entry, error) {
	e, _, err := decode(data)
	return e, err
}

// decode is Decode that also says where the sig pair sits in data, when
// the one-pass reader could tell.
func decode(data []byte) (Entry, sigSpan, error) {
	if len(data) > MaxEntrySize {
		return Entry{}, sigSpan{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxEntrySize)
	}
	if err := Canonical(data); err != nil {
		return Entry{}, sigSpan{}, err
	}
	if e, sig, ok := readEntry(data); ok {
		if err := e.check(); err != nil {
			return Entry{}, sigSpan{}, err
		}
		return e, sig, nil
	}
	e, err := decodeTyped(data)
	return e, sigSpan{}, err
}

// decodeTyped is the general decoder for canonical bytes that readEntry
// did not accept: it decodes into the wire struct and insists that the
// entry re-encodes to exactly data, naming what is wrong otherwise.
func decodeTyped(data []byte) (Entry, error) {
	if err := knownFields(data); err != nil {
		return Entry{}, err
	}
	var w wire
	if err := decMode.Unmarshal(data, &w); err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	e := w.entry()
	if err := e.check(); err != nil {
		return Entry{}, err
	}
	if len(e.Sig) == 0 {
		return Entry{}, fmt.Errorf("%w: missing sig", ErrBadSignature)
	}
	// The bytes must be exactly the encoding of the fields they decode to:
	// this rules out null fields, missing fields and other stand-ins that
	// the typed decoder would quietly read as zero values.
	again, err := encMode.Marshal(e.toWire(true))
	if err != nil || !bytes.Equal(again, data) {
		return Entry{}, fmt.Errorf("%w: entry fields are not in their canonical form (null, missing or mistyped field)", ErrNonCanonical)
	}
	return e, nil
}

// fields are the keys an entry map may hold.
var fields = map[string]bool{
	"v": true, "author": true, "seq": true, "prev": true, "time": true,
	"kind": true, "district": true, "body": true, "sig": true,
}

func knownFields(data []byte) error {
	keys, err := topKeys(data)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if !fields[k] {
			return fmt.Errorf("%w: unknown field %q", ErrMalformed, k)
		}
	}
	return nil
}

// check validates the fields that do not depend on the kind.
func (e Entry) check() error {
	switch {
	case e.V != Version:
		return fmt.Errorf("%w: v=%d, want %d", ErrVersion, e.V, Version)
	case e.Seq == 0:
		return fmt.Errorf("%w: seq must start at 1", ErrMalformed)
	case e.Seq == 1 && e.Prev.Defined():
		return fmt.Errorf("%w: seq 1 must not have prev", ErrMalformed)
	case e.Seq > 1 && !e.Prev.Defined():
		return fmt.Errorf("%w: seq %d needs prev", ErrMalformed, e.Seq)
	case e.Time < 0:
		return fmt.Errorf("%w: negative time", ErrMalformed)
	case !kindPattern.MatchString(e.Kind):
		return fmt.Errorf("%w: kind %q is not a lowercase name", ErrMalformed, e.Kind)
	case !ValidDistrict(e.District):
		return fmt.Errorf("%w: district %q is not a lowercase path", ErrMalformed, e.District)
	case len(e.Body) == 0 || e.Body[0]>>5 != 5:
		return fmt.Errorf("%w: body must be a map", ErrMalformed)
	case len(e.Sig) != 0 && len(e.Sig) != 64:
		return fmt.Errorf("%w: sig is %d bytes, want 64", ErrBadSignature, len(e.Sig))
	}
	if _, err := rawKey(e.Author); err != nil {
		return err
	}
	return nil
}
