package protocol

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"
	"github.com/ipfs/go-cid"
)

// linkTag is the CBOR tag DAG-CBOR uses for CIDs.
const linkTag = 42

// Link is a CID as it appears inside an entry: CBOR tag 42 over a byte
// string of 0x00 followed by the binary CID. The zero Link is undefined.
type Link struct{ cid.Cid }

// LinkTo wraps c.
func LinkTo(c cid.Cid) Link { return Link{c} }

// MarshalCBOR encodes the link as tag 42.
func (l Link) MarshalCBOR() ([]byte, error) {
	if !l.Defined() {
		return nil, fmt.Errorf("%w: undefined link", ErrMalformed)
	}
	return encMode.Marshal(cbor.Tag{Number: linkTag, Content: append([]byte{0}, l.Bytes()...)})
}

// UnmarshalCBOR decodes tag 42 and checks the CID.
func (l *Link) UnmarshalCBOR(data []byte) error {
	var t cbor.Tag
	if err := decMode.Unmarshal(data, &t); err != nil {
		return fmt.Errorf("%w: link: %v", ErrMalformed, err)
	}
	raw, ok := t.Content.([]byte)
	if t.Number != linkTag || !ok || len(raw) < 2 || raw[0] != 0 {
		return fmt.Errorf("%w: link is not tag 42 over 0x00-prefixed bytes", ErrMalformed)
	}
	c, err := cid.Cast(raw[1:])
	if err != nil {
		return fmt.Errorf("%w: link: %v", ErrMalformed, err)
	}
	l.Cid = c
	return nil
}
