package replicate

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/mesocosm/mycel/protocol"
)

// Limits of both protocols.
const (
	MaxMessage = 1 << 20 // bytes of one message, length prefix excluded
	MaxTurns   = 64      // reconciliation turns per session, both sides
	MaxRejects = 8       // rejected blocks a session tolerates
	MaxFetch   = 256     // CIDs per fetch request
	maxList    = 1024    // elements of any one list in a message
	maxTurn    = 64      // messages in one turn
)

// node is a bucket summary: prefix, element count, tree hash.
type node struct {
	_ struct{} `cbor:",toarray"`
	P []byte
	N uint64
	H []byte
}

// child is one non-empty child of a split node.
type child struct {
	_ struct{} `cbor:",toarray"`
	X uint64
	N uint64
	H []byte
}

// split lists the sender's non-empty children of P; absent ones are empty.
type split struct {
	_ struct{} `cbor:",toarray"`
	P []byte
	C []child
}

// fp is an element's fingerprint: author key, head seq, the first 16 bytes
// of the head digest, the 8-byte fork sum (empty without forks).
type fp struct {
	_ struct{} `cbor:",toarray"`
	K uint64
	S uint64
	D []byte
	F []byte
}

// items lists every element of the sender's bucket P (possibly in several
// items with the same P within one turn).
type items struct {
	_ struct{} `cbor:",toarray"`
	P []byte
	F []fp
}

// forkSet lists the CIDs the sender holds as forks of author key K.
type forkSet struct {
	_ struct{} `cbor:",toarray"`
	K uint64
	C [][]byte
}

// failure is an abort reason.
type failure struct {
	C uint64 `cbor:"c"`
	R string `cbor:"r"`
}

// message is the one message type of /mycel/sync/1. Every field is
// optional; see docs/PROTOCOL.md, section 6, for which appear when.
type message struct {
	N []node    `cbor:"n,omitempty"`
	S []split   `cbor:"s,omitempty"`
	I []items   `cbor:"i,omitempty"`
	F []forkSet `cbor:"f,omitempty"`
	B [][]byte  `cbor:"b,omitempty"` // blocks: signed entries
	M bool      `cbor:"m,omitempty"` // more messages follow in this turn
	E *failure  `cbor:"e,omitempty"`
}

// empty reports whether m carries no reconciliation part.
func (m *message) empty() bool {
	return len(m.N)+len(m.S)+len(m.I)+len(m.F) == 0
}

// writeMsg writes v as a varint length followed by canonical DAG-CBOR.
func writeMsg(w io.Writer, v any) error {
	data, err := protocol.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode message: %w", err)
	}
	if len(data) > MaxMessage {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxMessage)
	}
	buf := binary.AppendUvarint(make([]byte, 0, len(data)+4), uint64(len(data)))
	_, err = w.Write(append(buf, data...))
	return err
}

// readMsg reads one message written by writeMsg into v.
func readMsg(r *bufio.Reader, v any) error {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if n > MaxMessage {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, n, MaxMessage)
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return err
	}
	if err := protocol.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	// One message, one encoding: a null, or a field present but empty,
	// decodes to the same value as its canonical form and is refused.
	if again, err := protocol.Marshal(v); err != nil || !bytes.Equal(again, data) {
		return fmt.Errorf("%w: not the canonical encoding of its content", ErrMalformed)
	}
	return nil
}
