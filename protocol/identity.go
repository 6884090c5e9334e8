package protocol

import (
	"crypto/ed25519"
	"fmt"
	"strings"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	mb "github.com/multiformats/go-multibase"
)

// ed25519PubCodec is the multicodec prefix of an Ed25519 public key (0xed,
// varint-encoded), as did:key uses it.
var ed25519PubCodec = []byte{0xed, 0x01}

// ed25519IDPrefix starts the one accepted form of an author: the identity
// multihash (0x00, length 36) of the protobuf PublicKey{Type: Ed25519 (0x08
// 0x01), Data: 32 bytes (0x12 0x20)}, followed by the key.
const ed25519IDPrefix = "\x00\x24\x08\x01\x12\x20"

// PublicKey extracts the Ed25519 key inlined in a peer ID. The ID must be
// in its canonical 38-byte form: other protobuf encodings of the same key
// (fields reordered, extra fields) would give one key many author IDs.
func PublicKey(id peer.ID) (crypto.PubKey, error) {
	pub, err := id.ExtractPublicKey()
	if err != nil {
		return nil, fmt.Errorf("%w: not a peer ID with an inlined key: %v", ErrBadAuthor, err)
	}
	if pub.Type() != crypto.Ed25519 {
		return nil, fmt.Errorf("%w: key type %s, want Ed25519", ErrBadAuthor, pub.Type())
	}
	if len(id) != 38 || string(id[:6]) != ed25519IDPrefix {
		return nil, fmt.Errorf("%w: peer ID is not the canonical encoding of its Ed25519 key", ErrBadAuthor)
	}
	return pub, nil
}

// rawKey returns the Ed25519 key of an author in its canonical form: the
// last 32 bytes of the ID. Other IDs get PublicKey's error.
func rawKey(id peer.ID) (ed25519.PublicKey, error) {
	if len(id) == 38 && string(id[:6]) == ed25519IDPrefix {
		return ed25519.PublicKey(id[6:]), nil
	}
	if _, err := PublicKey(id); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("%w: peer ID is not the canonical encoding of its Ed25519 key", ErrBadAuthor)
}

// DID returns the did:key form of an Ed25519 peer ID.
func DID(id peer.ID) (string, error) {
	pub, err := PublicKey(id)
	if err != nil {
		return "", err
	}
	raw, err := pub.Raw()
	if err != nil {
		return "", err
	}
	s, err := mb.Encode(mb.Base58BTC, append(append([]byte{}, ed25519PubCodec...), raw...))
	if err != nil {
		return "", err
	}
	return "did:key:" + s, nil
}

// ParseDID returns the peer ID named by a did:key of an Ed25519 key.
func ParseDID(did string) (peer.ID, error) {
	rest, ok := strings.CutPrefix(did, "did:key:")
	if !ok {
		return "", fmt.Errorf("%w: %q is not a did:key", ErrBadAuthor, did)
	}
	enc, raw, err := mb.Decode(rest)
	if err != nil || enc != mb.Base58BTC {
		return "", fmt.Errorf("%w: did:key is not base58btc multibase", ErrBadAuthor)
	}
	if len(raw) != 34 || raw[0] != ed25519PubCodec[0] || raw[1] != ed25519PubCodec[1] {
		return "", fmt.Errorf("%w: did:key is not an Ed25519 key", ErrBadAuthor)
	}
	pub, err := crypto.UnmarshalEd25519PublicKey(raw[2:])
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadAuthor, err)
	}
	return peer.IDFromPublicKey(pub)
}

// ParsePeer accepts a peer ID or a did:key.
func ParsePeer(s string) (peer.ID, error) {
	if strings.HasPrefix(s, "did:") {
		return ParseDID(s)
	}
	id, err := peer.Decode(s)
	if err != nil {
		return "", fmt.Errorf("%w: %q is neither a peer ID nor a did:key", ErrBadAuthor, s)
	}
	if _, err := PublicKey(id); err != nil {
		return "", err
	}
	return id, nil
}
