package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"

	"filippo.io/edwards25519"
)

// Key is a decoded Ed25519 public key. A Key never changes once made, so
// it is safe for concurrent use.
type Key struct {
	raw    [ed25519.PublicKeySize]byte
	minusA edwards25519.Point
	// tab holds the multiples of -A in radix 16, in a Key made by
	// Precompute.
	tab *table
}

// New decodes pub as crypto/ed25519 does; ok is false for a key it
// would reject (wrong length, or not a point on the curve).
func New(pub []byte) (k *Key, ok bool) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, false
	}
	k = &Key{}
	var a edwards25519.Point
	if _, err := a.SetBytes(pub); err != nil {
		return nil, false
	}
	copy(k.raw[:], pub)
	k.minusA.Negate(&a)
	return k, true
}

// Precompute returns k with its table of multiples: 512 point additions,
// about what three plain verifications cost.
func (k *Key) Precompute() *Key {
	if k.tab != nil {
		return k
	}
	p := *k
	p.tab = newTable(&k.minusA, 4)
	return &p
}

// Precomputed reports whether k holds its table.
func (k *Key) Precomputed() bool { return k.tab != nil }

// Verify reports whether sig is a valid signature of msg by k, with
// crypto/ed25519.Verify's answer for every input.
func (k *Key) Verify(msg, sig []byte) bool {
	if len(sig) != ed25519.SignatureSize || sig[63]&224 != 0 {
		return false
	}
	h := sha512.New()
	h.Write(sig[:32])
	h.Write(k.raw[:])
	h.Write(msg)
	var digest [sha512.Size]byte
	kh, err := edwards25519.NewScalar().SetUniformBytes(h.Sum(digest[:0]))
	if err != nil {
		return false // cannot happen: the digest is 64 bytes
	}
	s, err := edwards25519.NewScalar().SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}
	var r edwards25519.Point
	if k.tab == nil {
		r.VarTimeDoubleScalarBaseMult(kh, &k.minusA, s)
	} else {
		r.Set(edwards25519.NewIdentityPoint())
		baseTable().addMul(&r, s)
		k.tab.addMul(&r, kh)
	}
	return bytes.Equal(sig[:32], r.Bytes())
}
