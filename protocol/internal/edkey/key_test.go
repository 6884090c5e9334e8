package edkey

import (
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"testing"

	"filippo.io/edwards25519"
)

// stdVerify is crypto/ed25519.Verify without its panic on a short key.
func stdVerify(pub, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
}

// agree checks that a plain Key, a precomputed Key and a Cache all answer
// as crypto/ed25519 does, and returns that answer.
func agree(t testing.TB, c *Cache, pub, msg, sig []byte) bool {
	t.Helper()
	want := stdVerify(pub, msg, sig)
	k, ok := New(pub)
	if !ok {
		if want {
			t.Fatalf("New(%x) refused a key crypto/ed25519 accepts", pub)
		}
	} else {
		if got := k.Verify(msg, sig); got != want {
			t.Fatalf("Key.Verify(%x, %x, %x) = %v, crypto/ed25519 says %v", pub, msg, sig, got, want)
		}
		if got := k.Precompute().Verify(msg, sig); got != want {
			t.Fatalf("precomputed Verify(%x, %x, %x) = %v, crypto/ed25519 says %v", pub, msg, sig, got, want)
		}
	}
	if got := c.Verify(pub, msg, sig); got != want {
		t.Fatalf("Cache.Verify(%x, %x, %x) = %v, crypto/ed25519 says %v", pub, msg, sig, got, want)
	}
	return want
}

func TestHonestSignatures(t *testing.T) {
	c := NewCache(8, 2, 2)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		seed := make([]byte, ed25519.SeedSize)
		binary.LittleEndian.PutUint64(seed, uint64(i%5))
		priv := ed25519.NewKeyFromSeed(seed)
		msg := make([]byte, rng.IntN(300))
		for j := range msg {
			msg[j] = byte(rng.Uint32())
		}
		sig := ed25519.Sign(priv, msg)
		pub := priv.Public().(ed25519.PublicKey)
		if !agree(t, c, pub, msg, sig) {
			t.Fatal("an honest signature did not verify")
		}
		bad := append([]byte(nil), sig...)
		bad[rng.IntN(len(bad))] ^= 1 << rng.IntN(8)
		agree(t, c, pub, msg, bad)
		agree(t, c, pub, append(msg, 0), sig)
	}
	if keys, tables := c.Len(); keys != 5 || tables != 2 {
		t.Errorf("cache holds %d keys, %d tables; want 5 keys (under the bound of 8) and 2 tables (the bound)", keys, tables)
	}
}

// torsion returns the eight points of order dividing 8.
func torsion(t testing.TB) []*edwards25519.Point {
	// A point of order 8 (RFC 8032's curve, from the usual list of
	// small-order encodings); its multiples are the whole subgroup.
	var g edwards25519.Point
	if _, err := g.SetBytes(hexBytes(t, "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")); err != nil {
		t.Fatal(err)
	}
	out := []*edwards25519.Point{edwards25519.NewIdentityPoint()}
	for range 7 {
		out = append(out, new(edwards25519.Point).Add(out[len(out)-1], &g))
	}
	if out[7].Add(out[7], &g).Equal(edwards25519.NewIdentityPoint()) != 1 {
		t.Fatal("the generator is not of order 8")
	}
	out[7].Subtract(out[7], &g)
	return out
}

func hexBytes(t testing.TB, s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		var v byte
		for _, ch := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case ch >= '0' && ch <= '9':
				v |= byte(ch - '0')
			default:
				v |= byte(ch-'a') + 10
			}
		}
		b[i] = v
	}
	return b
}

func scalar(t testing.TB, rng *rand.Rand) *edwards25519.Scalar {
	var b [64]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	s, err := edwards25519.NewScalar().SetUniformBytes(b[:])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTorsionSignatures signs with mixed-order keys and mixed-order R, the
// inputs on which cofactored (batch) verifiers differ from crypto/ed25519:
// about one in ord(T) of them verify there, and the rest must not verify
// here either.
func TestTorsionSignatures(t *testing.T) {
	c := NewCache(64, 8, 1)
	rng := rand.New(rand.NewPCG(3, 4))
	tors := torsion(t)
	accepted := 0
	for i := range 2000 {
		a := scalar(t, rng)
		A := new(edwards25519.Point).ScalarBaseMult(a)
		A.Add(A, tors[rng.IntN(8)])
		pub := A.Bytes()
		r := scalar(t, rng)
		R := new(edwards25519.Point).ScalarBaseMult(r)
		if i%2 == 1 {
			R.Add(R, tors[rng.IntN(8)])
		}
		msg := []byte{byte(i), byte(i >> 8)}
		Rb := R.Bytes()
		h := sha512.Sum512(append(append(append([]byte{}, Rb...), pub...), msg...))
		k, _ := edwards25519.NewScalar().SetUniformBytes(h[:])
		S := edwards25519.NewScalar().MultiplyAdd(k, a, r)
		sig := append(Rb, S.Bytes()...)
		if agree(t, c, pub, msg, sig) {
			accepted++
		}
	}
	// Some of these verify under crypto/ed25519 ([k]T = T' by chance),
	// most do not: both sets must be exercised.
	if accepted == 0 || accepted == 2000 {
		t.Fatalf("%d of 2000 torsion signatures verified; the test needs both outcomes", accepted)
	}
	t.Logf("%d of 2000 torsion signatures verify under crypto/ed25519", accepted)
}

// TestSmallOrderKeys: every small-order key, in its canonical and
// non-canonical encodings, with R any small-order encoding and S = 0 or 1.
func TestSmallOrderKeys(t *testing.T) {
	c := NewCache(64, 8, 1)
	var encs [][]byte
	for _, p := range torsion(t) {
		b := p.Bytes()
		encs = append(encs, b)
		flip := append([]byte(nil), b...)
		flip[31] ^= 0x80 // the other sign of x: non-canonical when x = 0
		encs = append(encs, flip)
	}
	// y = p + d for small d: non-canonical encodings of y = d.
	for d := range 19 {
		b := make([]byte, 32)
		for i := range b {
			b[i] = 0xff
		}
		b[0] = 0xed + byte(d)
		b[31] = 0x7f
		if b[0] < 0xed { // overflowed: carry into the next byte
			b[1] = 0x00
		}
		encs = append(encs, b, append(append([]byte(nil), b[:31]...), b[31]|0x80))
	}
	accepted := 0
	for _, pub := range encs {
		for _, r := range encs {
			for _, s := range []byte{0, 1} {
				sig := make([]byte, 64)
				copy(sig, r)
				sig[32] = s
				if agree(t, c, pub, []byte("m"), sig) {
					accepted++
				}
			}
		}
	}
	t.Logf("%d of %d small-order signatures verify under crypto/ed25519", accepted, len(encs)*len(encs)*2)
	if accepted == 0 {
		t.Fatal("no small-order signature verified: the cases miss what crypto/ed25519 accepts")
	}
}

// TestScalarEdges: S at and past the group order, and the high bits.
func TestScalarEdges(t *testing.T) {
	c := NewCache(8, 2, 1)
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	msg := []byte("edge")
	sig := ed25519.Sign(priv, msg)
	// S + L encodes the same scalar non-canonically.
	l := hexBytes(t, "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	plus := append([]byte(nil), sig...)
	carry := 0
	for i := range 32 {
		v := int(plus[32+i]) + int(l[i]) + carry
		plus[32+i], carry = byte(v), v>>8
	}
	for _, s := range [][]byte{sig, plus, append(sig[:63:63], sig[63]|0x20), append(sig[:63:63], sig[63]|0x80), sig[:63], append(sig, 0)} {
		agree(t, c, pub, msg, s)
	}
	agree(t, c, pub[:31], msg, sig)
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(4, 2, 2)
	var privs []ed25519.PrivateKey
	for i := range 6 {
		seed := make([]byte, 32)
		seed[0] = byte(i)
		privs = append(privs, ed25519.NewKeyFromSeed(seed))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				p := privs[(g+i)%len(privs)]
				msg := []byte{byte(g), byte(i)}
				sig := ed25519.Sign(p, msg)
				if !c.Verify(p.Public().(ed25519.PublicKey), msg, sig) {
					t.Error("an honest signature did not verify")
					return
				}
				sig[0] ^= 1
				if c.Verify(p.Public().(ed25519.PublicKey), msg, sig) {
					t.Error("a damaged signature verified")
					return
				}
			}
		})
	}
	wg.Wait()
	if keys, tables := c.Len(); keys > 4 || tables > 2 {
		t.Errorf("cache holds %d keys, %d tables; bounds are 4 and 2", keys, tables)
	}
}

func FuzzVerify(f *testing.F) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	f.Add([]byte(priv.Public().(ed25519.PublicKey)), []byte("m"), ed25519.Sign(priv, []byte("m")), uint8(0))
	f.Add(make([]byte, 32), []byte{}, make([]byte, 64), uint8(3))
	c := NewCache(16, 4, 1)
	tors := torsion(f)
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte, tweak uint8) {
		// Mix a torsion point into the key or R, keeping the rest: the
		// inputs where verifier designs differ.
		if len(pub) == 32 && tweak&8 != 0 {
			var p edwards25519.Point
			if _, err := p.SetBytes(pub); err == nil {
				pub = p.Add(&p, tors[tweak&7]).Bytes()
			}
		}
		if len(sig) == 64 && tweak&16 != 0 {
			var p edwards25519.Point
			if _, err := p.SetBytes(sig[:32]); err == nil {
				sig = append(p.Add(&p, tors[(tweak>>5)&7]).Bytes(), sig[32:]...)
			}
		}
		agree(t, c, pub, msg, sig)
	})
}

// BenchmarkVerify: one key's signatures verified by crypto/ed25519, by a
// decoded Key, and by a precomputed Key, in the same run.
func BenchmarkVerify(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	msg := make([]byte, 400)
	sig := ed25519.Sign(priv, msg)
	k, _ := New(pub)
	p := k.Precompute()
	b.Run("stdlib", func(b *testing.B) {
		for b.Loop() {
			ed25519.Verify(pub, msg, sig)
		}
	})
	b.Run("key", func(b *testing.B) {
		for b.Loop() {
			k.Verify(msg, sig)
		}
	})
	b.Run("precomputed", func(b *testing.B) {
		for b.Loop() {
			p.Verify(msg, sig)
		}
	})
	b.Run("precompute", func(b *testing.B) {
		for b.Loop() {
			k.Precompute()
		}
	})
}
