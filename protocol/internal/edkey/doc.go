// Package edkey verifies Ed25519 signatures exactly as crypto/ed25519.Verify
// does, faster for a key that signs many messages.
//
// crypto/ed25519 decodes the public key on every call and computes
// [S]B - [k]A with a double scalar multiplication whose 253 doublings are
// most of its cost. A Key decodes once, and once Precompute has run it
// keeps the multiples j·16^i·A (i < 64, 1 ≤ j ≤ 8), so [k]A takes about
// 60 additions and no doubling. The group law on edwards25519 is complete,
// so the point computed is the same point crypto/ed25519 computes, for
// every key it accepts (small-order, mixed-order and non-canonically
// encoded ones too), and the signature is judged by the same comparison:
// the canonical encoding of [S]B - [k]A against the signature's R bytes.
// Validity is part of the protocol, so this package has no choice of its
// own to make; a differential fuzz target holds it to crypto/ed25519.
//
// A precomputed Key takes 80 KiB; Cache bounds how many are kept.
package edkey
