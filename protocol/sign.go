package protocol

import (
	"crypto/sha256"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol/internal/edkey"
)

// signingDomain prefixes the bytes an author signs, so that an entry
// signature can never be confused with a signature over anything else.
const signingDomain = "mycel/entry/v1\x00"

// Payload returns the canonical encoding of the entry without its sig: the
// bytes whose digest identifies the entry for de-duplication and forks.
func Payload(e Entry) ([]byte, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	return encMode.Marshal(e.toWire(false))
}

// ID identifies an entry independently of its signature bytes: two entries
// with the same ID are the same entry; two with the same Author and Seq but
// different Digests are an equivocation.
type ID struct {
	Author peer.ID
	Seq    uint64
	Digest [32]byte // sha2-256 of Payload
}

// IDOf returns the identity of e.
func IDOf(e Entry) (ID, error) {
	p, err := Payload(e)
	if err != nil {
		return ID{}, err
	}
	return ID{Author: e.Author, Seq: e.Seq, Digest: sha256.Sum256(p)}, nil
}

// Sign completes e for the author holding priv: it sets V and Author, signs,
// and seals the result into a Block.
func Sign(priv crypto.PrivKey, e Entry) (Block, error) {
	if priv.Type() != crypto.Ed25519 {
		return Block{}, fmt.Errorf("%w: key must be Ed25519", ErrBadAuthor)
	}
	author, err := peer.IDFromPrivateKey(priv)
	if err != nil {
		return Block{}, fmt.Errorf("%w: %v", ErrBadAuthor, err)
	}
	e.V, e.Author, e.Sig = Version, author, nil
	p, err := Payload(e)
	if err != nil {
		return Block{}, err
	}
	if e.Sig, err = priv.Sign(append([]byte(signingDomain), p...)); err != nil {
		return Block{}, fmt.Errorf("sign entry: %w", err)
	}
	return Seal(e)
}

// Verify checks e's signature against its author's key.
func Verify(e Entry) error {
	msg, err := SigningBytes(e)
	if err != nil {
		return err
	}
	return verify(e, msg)
}

// SigningBytes returns the bytes e's author signs: the signing domain,
// then the payload.
func SigningBytes(e Entry) ([]byte, error) {
	p, err := Payload(e)
	if err != nil {
		return nil, err
	}
	return append([]byte(signingDomain), p...), nil
}

// keys holds the decoded keys of recent authors, and the precomputed
// tables of the busiest (edkey: 80 KiB each, 10 MiB in all): an author's
// table is built on its fourth signature, when it has paid for itself.
// The answer is crypto/ed25519.Verify's for every input.
var keys = edkey.NewCache(4096, 128, 4)

// verify checks e's signature over msg, the domain and the payload.
func verify(e Entry, msg []byte) error {
	pub, err := rawKey(e.Author)
	if err != nil {
		return err
	}
	if !keys.Verify(pub, msg, e.Sig) {
		return fmt.Errorf("%w: entry %d of %s", ErrBadSignature, e.Seq, e.Author)
	}
	return nil
}

// signed returns the bytes the author of data signed, the domain and the
// payload, by cutting the sig pair out of data. In canonical form an
// entry's map has at most nine pairs, so its head is one byte, and the
// payload's head is that byte less one.
func signed(data []byte, sig sigSpan) []byte {
	msg := make([]byte, 0, len(signingDomain)+len(data)-(sig.end-sig.at))
	msg = append(msg, signingDomain...)
	msg = append(msg, data[0]-1)
	msg = append(msg, data[1:sig.at]...)
	return append(msg, data[sig.end:]...)
}

// Block is a sealed entry: its exact bytes, its CID and its decoded form.
type Block struct {
	CID   cid.Cid
	Data  []byte
	Entry Entry
}

// Seal encodes a signed entry and computes its CID.
func Seal(e Entry) (Block, error) {
	data, err := Encode(e)
	if err != nil {
		return Block{}, err
	}
	return Block{CID: Sum(data), Data: data, Entry: e}, nil
}

// Open decodes data strictly and verifies its signature: the check every
// byte string from the outside passes before anything trusts it.
func Open(data []byte) (Block, error) {
	e, sig, err := decode(data)
	if err != nil {
		return Block{}, err
	}
	if sig == (sigSpan{}) {
		err = Verify(e)
	} else {
		err = verify(e, signed(data, sig))
	}
	if err != nil {
		return Block{}, err
	}
	return Block{CID: Sum(data), Data: data, Entry: e}, nil
}

// OpenCID is Open for bytes that arrived under a claimed CID, as from fetch
// or a bundle: the bytes must hash to c.
func OpenCID(c cid.Cid, data []byte) (Block, error) {
	if got := Sum(data); !got.Equals(c) {
		return Block{}, fmt.Errorf("%w: want %s, bytes hash to %s", ErrBadCID, c, got)
	}
	return Open(data)
}

// ID returns the block's entry identity.
func (b Block) ID() ID {
	var buf [1024]byte // most entries fit: no allocation
	d, _, err := DigestOf(b, buf[:0])
	if err != nil {
		return ID{} // a sealed entry always has a payload
	}
	return ID{Author: b.Entry.Author, Seq: b.Entry.Seq, Digest: d}
}
