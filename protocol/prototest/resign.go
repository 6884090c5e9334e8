package prototest

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/sha512"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/protocol"
)

// signingDomain is protocol §1.4's prefix of the signed bytes.
const signingDomain = "mycel/entry/v1\x00"

var (
	fieldP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	// orderL = 2^252 + 27742317777372353535851937790883648493, the order of the base point.
	orderL = new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 252),
		func() *big.Int {
			c, _ := new(big.Int).SetString("27742317777372353535851937790883648493", 10)
			return c
		}())
	x25519Base = append([]byte{9}, make([]byte, 31)...)
)

// ErrResign is returned when no second signature could be made.
var ErrResign = errors.New("resign")

// Resign signs b's payload again with priv under a random nonce read from
// rnd: the result is another valid block of the same entry identity (same
// protocol.ID, a different signature and CID). crypto/ed25519 signs
// deterministically; RFC 8032 verification accepts any nonce, so a signer
// that draws its nonce (hedged signing, or malice) makes many blocks of one
// entry.
func Resign(priv crypto.PrivKey, b protocol.Block, rnd io.Reader) (protocol.Block, error) {
	raw, err := priv.Raw()
	if err != nil || len(raw) != ed25519.PrivateKeySize {
		return protocol.Block{}, fmt.Errorf("%w: not an Ed25519 key", ErrResign)
	}
	payload, err := protocol.Payload(b.Entry)
	if err != nil {
		return protocol.Block{}, fmt.Errorf("%w: %v", ErrResign, err)
	}
	msg := append([]byte(signingDomain), payload...)
	for range 8 {
		sig, err := hedged(raw, msg, rnd)
		if err != nil {
			return protocol.Block{}, err
		}
		if bytes.Equal(sig, b.Entry.Sig) {
			continue
		}
		e := b.Entry
		e.Sig = sig
		out, err := protocol.Seal(e)
		if err != nil {
			return protocol.Block{}, fmt.Errorf("%w: %v", ErrResign, err)
		}
		return protocol.Open(out.Data)
	}
	return protocol.Block{}, fmt.Errorf("%w: nonce source repeats", ErrResign)
}

// hedged returns an Ed25519 signature of msg by the 64-byte key priv
// (seed ‖ public key) with the nonce r drawn from rnd: R = r·B, S = r +
// H(R ‖ A ‖ msg)·a mod L. R is computed on Curve25519 (crypto/ecdh), which
// gives only y = (u-1)/(u+1); both signs of x are tried against
// ed25519.Verify.
func hedged(priv, msg []byte, rnd io.Reader) ([]byte, error) {
	nonce := make([]byte, 32)
	if _, err := io.ReadFull(rnd, nonce); err != nil {
		return nil, fmt.Errorf("%w: nonce: %v", ErrResign, err)
	}
	k, err := ecdh.X25519().NewPrivateKey(nonce)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrResign, err)
	}
	u, err := ecdh.X25519().NewPublicKey(x25519Base)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrResign, err)
	}
	shared, err := k.ECDH(u)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrResign, err)
	}
	h := sha512.Sum512(priv[:32])
	a, r := clamped(h[:32]), clamped(nonce)
	pub := priv[32:]
	for _, sign := range []byte{0, 0x80} {
		enc := edwardsY(shared)
		enc[31] |= sign
		c := sha512.Sum512(slices.Concat(enc, pub, msg))
		s := new(big.Int).Mul(le(c[:]), a)
		s.Add(s, r).Mod(s, orderL)
		sig := append(enc, toLE(s)...)
		if ed25519.Verify(pub, msg, sig) {
			return sig, nil
		}
	}
	return nil, fmt.Errorf("%w: no sign of x verifies", ErrResign)
}

// edwardsY maps a Curve25519 u-coordinate to the encoded Edwards y.
func edwardsY(uBytes []byte) []byte {
	u := le(uBytes)
	num := new(big.Int).Sub(u, big.NewInt(1))
	den := new(big.Int).Add(u, big.NewInt(1))
	den.ModInverse(den, fieldP)
	y := num.Mul(num, den)
	return toLE(y.Mod(y, fieldP))
}

// clamped is X25519's and Ed25519's scalar clamping, as an integer.
func clamped(b []byte) *big.Int {
	c := slices.Clone(b[:32])
	c[0] &= 248
	c[31] &= 127
	c[31] |= 64
	return le(c)
}

func le(b []byte) *big.Int {
	r := slices.Clone(b)
	slices.Reverse(r)
	return new(big.Int).SetBytes(r)
}

func toLE(x *big.Int) []byte {
	out := make([]byte, 32)
	x.FillBytes(out)
	slices.Reverse(out)
	return out
}
