package replicate

import (
	"bufio"
	"encoding/binary"
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

// check enforces the list limits of a decoded message: at most maxList
// elements in every list, at most fanout children in a split.
func (m *message) check() error {
	lists := []int{len(m.N), len(m.S), len(m.I), len(m.F), len(m.B)}
	for _, s := range m.S {
		if len(s.C) > fanout {
			return fmt.Errorf("%w: split of %d children, limit %d", ErrTooLarge, len(s.C), fanout)
		}
	}
	for _, it := range m.I {
		lists = append(lists, len(it.F))
	}
	for _, f := range m.F {
		lists = append(lists, len(f.C))
	}
	return checkLists(lists...)
}

func checkLists(lens ...int) error {
	for _, n := range lens {
		if n > maxList {
			return fmt.Errorf("%w: list of %d elements, limit %d", ErrTooLarge, n, maxList)
		}
	}
	return nil
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

// readMsg reads one message written by writeMsg into v, with no memory
// accounting.
func readMsg(r *bufio.Reader, v any) error {
	return (&msgReader{r: r}).read(v)
}
