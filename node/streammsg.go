package node

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/mesocosm/mycel/protocol"
)

// The grid and arena streams carry one request and one answer, each a
// uvarint length and a DAG-CBOR map: writeMsg and readMsg.

var errMessage = errors.New("stream message")

func writeMsg(w io.Writer, v any) error {
	data, err := protocol.Marshal(v)
	if err != nil {
		return err
	}
	if len(data) > maxGridMessage {
		return fmt.Errorf("%w of %d bytes, limit %d", errMessage, len(data), maxGridMessage)
	}
	buf := binary.AppendUvarint(make([]byte, 0, len(data)+binary.MaxVarintLen64), uint64(len(data)))
	_, err = w.Write(append(buf, data...))
	return err
}

// readGrid reads one message of at most limit bytes into v.
func readMsg(r *bufio.Reader, limit int, v any) error {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return fmt.Errorf("%w: %v", errMessage, err)
	}
	if n > uint64(limit) {
		return fmt.Errorf("%w of %d bytes, limit %d", errMessage, n, limit)
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return fmt.Errorf("%w: %v", errMessage, err)
	}
	if err := protocol.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %v", errMessage, err)
	}
	return nil
}
