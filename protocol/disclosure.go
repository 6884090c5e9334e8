package protocol

import (
	"crypto/sha256"
	"fmt"
)

// Disclosure reveals one evidence item of a proof to one peer: the
// content, its salt and its audit path. The receiver checks it against the
// proof's Commitment; nothing about the other items is revealed beyond
// their count and the hashes on the path.
type Disclosure struct {
	Proof   Link           `cbor:"proof"`   // CID of the proof entry
	Content []byte         `cbor:"content"` // the evidence item's bytes
	Salt    [SaltSize]byte `cbor:"salt"`
	Index   uint64         `cbor:"index"` // position among the proof's leaves
	Path    [][32]byte     `cbor:"path"`  // audit path, bottom first
}

// Verify checks that d opens c: the leaf of d's content and salt sits at
// d.Index among c.Count leaves under c.Root. Errors wrap ErrBadCommitment.
// Verify does not check that c belongs to the proof d.Proof names; the
// caller takes c from that proof.
func (d Disclosure) Verify(c Commitment) error {
	if len(c.Root) != 32 {
		return fmt.Errorf("%w: root is %d bytes, want 32", ErrBadCommitment, len(c.Root))
	}
	leaf := Leaf(d.Salt, sha256.Sum256(d.Content))
	if err := VerifyInclusion([32]byte(c.Root), c.Count, d.Index, leaf, d.Path); err != nil {
		return fmt.Errorf("disclosure of item %d: %w", d.Index, err)
	}
	return nil
}
