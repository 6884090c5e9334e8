package scale

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// baseTime is the time of every author's first entry (Nov 2023); each
// later entry is a millisecond later.
const baseTime = 1_700_000_000_000

// signer is an author and the head of the chain it has signed so far.
type signer struct {
	key  crypto.PrivKey
	id   peer.ID
	seq  uint64
	prev cid.Cid
}

// newSigner returns the author numbered n: its key is derived from n, so
// that every build of a size signs the same entries.
func newSigner(n int) (*signer, error) {
	var in [16]byte
	copy(in[:], "mycel-scale")
	binary.BigEndian.PutUint32(in[12:], uint32(n))
	seed := sha256.Sum256(in[:])
	key, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		return nil, err
	}
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &signer{key: key, id: id}, nil
}

// next signs the author's next entry in district.
func (s *signer) next(kind, district string, body protocol.Body) (protocol.Block, error) {
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		return protocol.Block{}, err
	}
	e := protocol.Entry{Seq: s.seq + 1, Prev: s.prev, Time: baseTime + int64(s.seq), Kind: kind, District: district, Body: enc}
	b, err := protocol.Sign(s.key, e)
	if err != nil {
		return protocol.Block{}, err
	}
	s.seq, s.prev = e.Seq, b.CID
	return b, nil
}
