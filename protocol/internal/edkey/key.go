package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"

	"filippo.io/edwards25519"
)

// windows is the number of radix-16 digits of a scalar below 2^253.
const windows = 64

// Key is a decoded Ed25519 public key. A Key never changes once made, so
// it is safe for concurrent use.
type Key struct {
	raw    [ed25519.PublicKeySize]byte
	minusA edwards25519.Point
	// tab[i][j-1] = j·16^i·(-A), in a Key made by Precompute.
	tab *[windows][8]edwards25519.Point
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
// about what two plain verifications cost.
func (k *Key) Precompute() *Key {
	if k.tab != nil {
		return k
	}
	tab := new([windows][8]edwards25519.Point)
	base := new(edwards25519.Point).Set(&k.minusA)
	for i := range tab {
		tab[i][0].Set(base)
		for j := 1; j < 8; j++ {
			tab[i][j].Add(&tab[i][j-1], base)
		}
		base.Add(&tab[i][7], &tab[i][7]) // 16·16^i·(-A)
	}
	p := *k
	p.tab = tab
	return &p
}

// Precomputed reports whether Precompute has run.
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
		r.ScalarBaseMult(s)
		k.addMul(&r, kh)
	}
	return bytes.Equal(sig[:32], r.Bytes())
}

// addMul adds [x](-A) to acc from the table.
func (k *Key) addMul(acc *edwards25519.Point, x *edwards25519.Scalar) {
	d := digits(x)
	for i := range windows {
		switch v := d[i]; {
		case v > 0:
			acc.Add(acc, &k.tab[i][v-1])
		case v < 0:
			acc.Subtract(acc, &k.tab[i][-v-1])
		}
	}
}

// digits returns x in signed radix 16: x = Σ d[i]·16^i with every digit
// in [-8, 8]. x is below 2^253, so the top digit takes the last carry.
func digits(x *edwards25519.Scalar) [windows]int8 {
	b := x.Bytes()
	var d [windows]int8
	for i := range 32 {
		d[2*i] = int8(b[i] & 15)
		d[2*i+1] = int8(b[i] >> 4)
	}
	for i := range windows - 1 {
		carry := (d[i] + 8) >> 4
		d[i] -= carry << 4
		d[i+1] += carry
	}
	return d
}
