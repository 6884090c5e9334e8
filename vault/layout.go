package vault

import (
	"encoding/binary"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// formatVersion is the on-disk layout version, kept in meta under "format".
const formatVersion = 1

// Bucket names. The layouts are documented in docs/PROTOCOL.md, section 4.
var (
	bMeta     = []byte("meta")     // "format", "id", "key"
	bBlocks   = []byte("blocks")   // CID -> entry bytes
	bAuthors  = []byte("authors")  // akey -> num; 0x00|num -> peer ID
	bLogs     = []byte("logs")     // num|seq -> digest|CID, joined entries only
	bHeads    = []byte("heads")    // akey -> seq|digest|CID
	bPending  = []byte("pending")  // num|seq -> digest|CID
	bForks    = []byte("forks")    // num|seq|digest -> CID
	bIndex    = []byte("index")    // field value 0x00 num|seq -> empty
	bEvidence = []byte("evidence") // id -> CBOR record
	bContent  = []byte("content")  // id -> evidence content
	bWaiting  = []byte("waiting")  // num -> since|count|bytes of pending records
	bOthers   = []byte("others")   // num|seq|digest|CID -> empty: further blocks of joined entries
)

var allBuckets = [][]byte{
	bMeta, bBlocks, bAuthors, bLogs, bHeads, bPending, bForks, bIndex, bEvidence, bContent,
}

// Index fields: the first byte of an index key.
const (
	fieldKind     = 'k'
	fieldMIP      = 'm'
	fieldDistrict = 'd'
)

// authorKey is the author's key in heads and authors: one length byte and
// the peer ID bytes. Its first byte is never 0x00, which starts the
// reverse (number -> author) keys of authors.
func authorKey(a peer.ID) ([]byte, error) {
	if len(a) == 0 || len(a) > 255 {
		return nil, fmt.Errorf("author id is %d bytes, want 1..255", len(a))
	}
	k := make([]byte, 0, 1+len(a))
	return append(append(k, byte(len(a))), a...), nil
}

// numLen is the length of an author number, the author's prefix in slot
// keys. Numbers are 1, 2, 3, ... in the order the vault first stored each
// author; they are local to the file.
const numLen = 4

// skeyLen is the length of a slot key num|seq.
const skeyLen = numLen + 8

// numberKey is the reverse key 0x00|num of authors.
func numberKey(num []byte) []byte {
	return append([]byte{0}, num...)
}

// seqKey is num|seq, seq as 8 bytes big-endian.
func seqKey(num []byte, seq uint64) []byte {
	k := make([]byte, len(num), skeyLen+32)
	copy(k, num)
	return binary.BigEndian.AppendUint64(k, seq)
}

// forkKey is num|seq|digest.
func forkKey(sk []byte, digest [32]byte) []byte {
	return append(append(make([]byte, 0, len(sk)+32), sk...), digest[:]...)
}

// appendIndexKey appends field value 0x00 skey to dst.
func appendIndexKey(dst []byte, field byte, value string, sk []byte) []byte {
	return append(append(append(append(dst, field), value...), 0), sk...)
}

// splitIndexKey parses field value 0x00 num|seq.
func splitIndexKey(k []byte) (field byte, value string, sk []byte, err error) {
	n := len(k) - skeyLen
	if n < 2 || k[n-1] != 0 {
		return 0, "", nil, fmt.Errorf("%w: index key %q", ErrCorrupt, k)
	}
	return k[0], string(k[1 : n-1]), k[n:], nil
}

// splitSeqKey parses num|seq[|rest].
func splitSeqKey(k []byte) (num []byte, seq uint64, rest []byte, err error) {
	if len(k) < skeyLen {
		return nil, 0, nil, fmt.Errorf("%w: short slot key %x", ErrCorrupt, k)
	}
	return k[:numLen], binary.BigEndian.Uint64(k[numLen:skeyLen]), k[skeyLen:], nil
}

// headValue is seq|digest|CID.
func headValue(h Head) []byte {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 8+32+40), h.Seq)
	return append(append(v, h.Digest[:]...), h.CID.Bytes()...)
}

func parseHead(author peer.ID, v []byte) (Head, error) {
	if len(v) < 8+32+1 {
		return Head{}, fmt.Errorf("%w: short head of %s", ErrCorrupt, author)
	}
	c, err := cid.Cast(v[40:])
	if err != nil {
		return Head{}, fmt.Errorf("%w: head of %s: %v", ErrCorrupt, author, err)
	}
	h := Head{Author: author, Seq: binary.BigEndian.Uint64(v), CID: c}
	copy(h.Digest[:], v[8:40])
	return h, nil
}

// A slot record is digest|CID: the record of a slot's primary entry, in
// logs (joined) and pending (not yet joined).
func parseSlot(v []byte) ([32]byte, cid.Cid, error) {
	var d [32]byte
	if len(v) < 33 {
		return d, cid.Undef, fmt.Errorf("%w: short slot record", ErrCorrupt)
	}
	copy(d[:], v)
	c, err := cid.Cast(v[32:])
	if err != nil {
		return d, cid.Undef, fmt.Errorf("%w: slot record: %v", ErrCorrupt, err)
	}
	return d, c, nil
}

// slotCID returns the binary CID of a digest|CID record.
func slotCID(v []byte) ([]byte, error) {
	if len(v) < 33 {
		return nil, fmt.Errorf("%w: short slot record", ErrCorrupt)
	}
	return v[32:], nil
}

func castCID(v []byte) (cid.Cid, error) {
	c, err := cid.Cast(v)
	if err != nil {
		return cid.Undef, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return c, nil
}
