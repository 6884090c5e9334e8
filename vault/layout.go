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
	bLogs     = []byte("logs")     // akey|seq -> digest|CID, joined entries only
	bHeads    = []byte("heads")    // akey -> seq|digest|CID
	bPending  = []byte("pending")  // akey|seq -> digest|CID
	bForks    = []byte("forks")    // akey|seq|digest -> CID
	bIndex    = []byte("index")    // field value 0x00 akey|seq -> empty
	bEvidence = []byte("evidence") // id -> CBOR record
	bContent  = []byte("content")  // id -> evidence content
)

var allBuckets = [][]byte{
	bMeta, bBlocks, bLogs, bHeads, bPending, bForks, bIndex, bEvidence, bContent,
}

// Index fields: the first byte of an index key.
const (
	fieldKind     = 'k'
	fieldMIP      = 'm'
	fieldDistrict = 'd'
)

// authorKey is the author's prefix in log-shaped keys: one length byte and
// the peer ID bytes, so that a prefix scan never runs into a longer ID.
func authorKey(a peer.ID) ([]byte, error) {
	if len(a) == 0 || len(a) > 255 {
		return nil, fmt.Errorf("author id is %d bytes, want 1..255", len(a))
	}
	k := make([]byte, 0, 1+len(a)+8+32)
	return append(append(k, byte(len(a))), a...), nil
}

// seqKey is akey|seq, seq as 8 bytes big-endian.
func seqKey(ak []byte, seq uint64) []byte {
	k := make([]byte, len(ak), len(ak)+8+32)
	copy(k, ak)
	return binary.BigEndian.AppendUint64(k, seq)
}

// forkKey is akey|seq|digest.
func forkKey(sk []byte, digest [32]byte) []byte {
	return append(append(make([]byte, 0, len(sk)+32), sk...), digest[:]...)
}

// appendIndexKey appends field value 0x00 skey to dst.
func appendIndexKey(dst []byte, field byte, value string, sk []byte) []byte {
	return append(append(append(append(dst, field), value...), 0), sk...)
}

// splitIndexKey parses field value 0x00 akey|seq.
func splitIndexKey(k []byte) (field byte, value string, sk []byte, err error) {
	for i := 1; i < len(k); i++ {
		if k[i] == 0 {
			sk = k[i+1:]
			if len(sk) < 1 || len(sk) != 1+int(sk[0])+8 {
				break
			}
			return k[0], string(k[1:i]), sk, nil
		}
	}
	return 0, "", nil, fmt.Errorf("%w: index key %q", ErrCorrupt, k)
}

// splitSeqKey parses akey|seq[|rest].
func splitSeqKey(k []byte) (peer.ID, uint64, []byte, error) {
	if len(k) < 1 || len(k) < 1+int(k[0])+8 {
		return "", 0, nil, fmt.Errorf("%w: short log key %x", ErrCorrupt, k)
	}
	n := 1 + int(k[0])
	return peer.ID(k[1:n]), binary.BigEndian.Uint64(k[n : n+8]), k[n+8:], nil
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
