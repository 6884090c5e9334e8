package protocol

import "crypto/sha256"

// MaxEvidence bounds the evidence items one proof commits to.
const MaxEvidence = 1 << 16

// Domain prefixes of the evidence Merkle tree (RFC 6962 style): a leaf can
// never be passed off as an interior node or the other way round.
const (
	leafPrefix = 0x00
	nodePrefix = 0x01
)

// SaltSize is the size of an evidence item's salt.
const SaltSize = 16

// Leaf returns the commitment leaf of one evidence item:
// sha2-256(0x00 || salt || sha2-256(content)), given the content's digest.
func Leaf(salt [SaltSize]byte, digest [32]byte) [32]byte {
	buf := make([]byte, 0, 1+SaltSize+32)
	buf = append(buf, leafPrefix)
	buf = append(buf, salt[:]...)
	buf = append(buf, digest[:]...)
	return sha256.Sum256(buf)
}
