// Package edkey verifies Ed25519 signatures exactly as crypto/ed25519.Verify
// does, faster for a key that signs many messages.
//
// crypto/ed25519 decodes the public key on every call and computes
// [S]B - [k]A with a double scalar multiplication whose 253 doublings are
// most of its cost. A Key decodes once, and once Precompute has run it
// keeps the multiples j·16^i·(-A) (i < 64, 1 ≤ j ≤ 8), so [k](-A) takes
// about 60 additions and no doubling; [S]B comes from a table of the base
// point in radix 256 (640 KiB, built once per process) in 32 additions.
//
// The group law on edwards25519 is complete, so the point computed is the
// point crypto/ed25519 computes, for every key it accepts (small-order,
// mixed-order and non-canonically encoded ones too), and the signature is
// judged by the same comparison: the canonical encoding of [S]B - [k]A
// against the signature's R bytes. Validity is part of the protocol, so
// this package has no choice of its own to make; tests on torsion,
// small-order, non-canonical and scalar-edge inputs and a differential
// fuzz target hold it to crypto/ed25519. Batch verifiers, by contrast,
// check the cofactored equation and accept signatures crypto/ed25519
// rejects.
//
// A precomputed Key takes 80 KiB; Cache bounds how many are kept.
//
//	k, ok := edkey.New(pub)
//	k = k.Precompute()
//	valid := k.Verify(msg, sig)
//	c := edkey.NewCache(1024, 16, 2) // a table on a key's second use
//	valid = c.Verify(pub, msg, sig)
package edkey
