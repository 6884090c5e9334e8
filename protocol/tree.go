package protocol

import (
	"crypto/sha256"
	"fmt"
	"math/bits"
)

// The evidence tree has the shape of RFC 6962 (Certificate Transparency):
// for n > 1 leaves, the left subtree holds the largest power of two
// smaller than n, the right subtree the rest. Leaves are already hashed
// (see Leaf, prefix 0x00); interior nodes are sha2-256(0x01 || left ||
// right), so no leaf can be passed off as a node.

// emptyRoot is the root of zero leaves: sha2-256 of the empty string.
var emptyRoot = sha256.Sum256(nil)

// node returns the interior node over two children.
func node(left, right [32]byte) [32]byte {
	var buf [1 + 64]byte
	buf[0] = nodePrefix
	copy(buf[1:], left[:])
	copy(buf[33:], right[:])
	return sha256.Sum256(buf[:])
}

// split returns the size of the left subtree of n > 1 leaves: the largest
// power of two smaller than n.
func split(n uint64) uint64 { return 1 << (bits.Len64(n-1) - 1) }

// Root returns the Merkle root over leaves, in order. Zero leaves give
// sha2-256(""); one leaf is its own root.
func Root(leaves [][32]byte) [32]byte {
	switch len(leaves) {
	case 0:
		return emptyRoot
	case 1:
		return leaves[0]
	}
	k := split(uint64(len(leaves)))
	return node(Root(leaves[:k]), Root(leaves[k:]))
}

// Inclusion returns the audit path of leaves[index]: the sibling hashes
// from the leaf's level up to the root's children, bottom first.
func Inclusion(leaves [][32]byte, index int) ([][32]byte, error) {
	if index < 0 || index >= len(leaves) {
		return nil, fmt.Errorf("%w: index %d out of %d leaves", ErrBadCommitment, index, len(leaves))
	}
	var path [][32]byte
	for len(leaves) > 1 {
		k := int(split(uint64(len(leaves))))
		if index < k {
			path = append(path, Root(leaves[k:]))
			leaves = leaves[:k]
		} else {
			path = append(path, Root(leaves[:k]))
			leaves, index = leaves[k:], index-k
		}
	}
	// Collected top-down; the path is read bottom-up.
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path, nil
}

// VerifyInclusion checks that leaf sits at index among count leaves under
// root, given its audit path (RFC 9162 section 2.1.3.2). The path must have
// exactly the length the tree shape demands. Errors wrap ErrBadCommitment.
func VerifyInclusion(root [32]byte, count, index uint64, leaf [32]byte, path [][32]byte) error {
	if count == 0 || count > MaxEvidence {
		return fmt.Errorf("%w: count %d out of range 1..%d", ErrBadCommitment, count, MaxEvidence)
	}
	if index >= count {
		return fmt.Errorf("%w: index %d out of %d leaves", ErrBadCommitment, index, count)
	}
	fn, sn, r := index, count-1, leaf
	for _, p := range path {
		if sn == 0 {
			return fmt.Errorf("%w: path of %d hashes is too long", ErrBadCommitment, len(path))
		}
		if fn&1 == 1 || fn == sn {
			r = node(p, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = node(r, p)
		}
		fn, sn = fn>>1, sn>>1
	}
	if sn != 0 {
		return fmt.Errorf("%w: path of %d hashes is too short", ErrBadCommitment, len(path))
	}
	if r != root {
		return fmt.Errorf("%w: leaf %d does not hash to the root", ErrBadCommitment, index)
	}
	return nil
}
