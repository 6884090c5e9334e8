package settle

import (
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Fraud is the body of a "fraud" entry: the exact bytes of two entries that
// prove their author equivocated. Anyone can check it alone; Check does.
// Both entries must fit in one fraud entry, so each stays well under half
// of protocol.MaxEntrySize (receipts and attestations do).
type Fraud struct {
	First  []byte `cbor:"first"`
	Second []byte `cbor:"second"`

	author peer.ID // set by Check
}

// Check verifies the pair (see VerifyFraud).
func (f *Fraud) Check() error {
	a, err := VerifyFraud(f)
	if err != nil {
		return badBody("%v", err)
	}
	f.author = a
	return nil
}

// Accused returns the equivocating author once Check has passed.
func (f *Fraud) Accused() peer.ID { return f.author }

// VerifyFraud checks a fraud proof on its own and returns the author it
// convicts. Three things must hold, or the error wraps ErrNotFraud (or the
// protocol error of an entry that does not open): both byte strings open
// as signed entries (protocol.Open); they share author and seq; their
// payload digests differ (two signatures over one payload are no fraud).
func VerifyFraud(f *Fraud) (peer.ID, error) {
	a, err := protocol.Open(f.First)
	if err != nil {
		return "", fmt.Errorf("fraud first: %w", err)
	}
	b, err := protocol.Open(f.Second)
	if err != nil {
		return "", fmt.Errorf("fraud second: %w", err)
	}
	ia, ib := a.ID(), b.ID()
	switch {
	case ia.Author != ib.Author:
		return "", fmt.Errorf("%w: authors differ", ErrNotFraud)
	case ia.Seq != ib.Seq:
		return "", fmt.Errorf("%w: seq %d and %d differ", ErrNotFraud, ia.Seq, ib.Seq)
	case ia.Digest == ib.Digest:
		return "", fmt.Errorf("%w: same payload", ErrNotFraud)
	}
	return ia.Author, nil
}

// NewFraud returns the fraud body for two blocks of one fork, in a
// canonical order (smaller CID first) so that every reporter of the same
// pair writes the same body.
func NewFraud(a, b protocol.Block) *Fraud {
	if b.CID.KeyString() < a.CID.KeyString() {
		a, b = b, a
	}
	return &Fraud{First: a.Data, Second: b.Data}
}
