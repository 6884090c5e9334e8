package replicate

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/mesocosm/mycel/protocol"
)

// firstChunk is the buffer a message starts in; it doubles as bytes
// arrive, up to the announced length.
const firstChunk = 4 << 10

// msgReader reads the messages of one stream. A message's buffer grows
// as its bytes arrive, never on the length the sender announced, and
// each growth is reserved in the stream's resource scope before it is
// allocated; the reservation is released once the message is decoded.
type msgReader struct {
	r        *bufio.Reader
	scope    network.ResourceScope // nil: no accounting
	onLength func()                // tests: called once a length is read
}

// checker is a message whose list limits are checked after decoding.
type checker interface{ check() error }

// read reads one message written by writeMsg into v.
func (mr *msgReader) read(v any) error {
	n, err := readLen(mr.r)
	if err != nil {
		return err
	}
	if n > MaxMessage {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, n, MaxMessage)
	}
	if mr.onLength != nil {
		mr.onLength()
	}
	data, reserved, err := mr.body(int(n))
	defer mr.release(reserved)
	if err != nil {
		return err
	}
	return decode(data, v)
}

// body reads n bytes into a buffer that grows as they arrive; it
// returns the bytes reserved for it.
func (mr *msgReader) body(n int) ([]byte, int, error) {
	buf, reserved := []byte{}, 0
	for len(buf) < n {
		if len(buf) == cap(buf) {
			size := min(n, max(firstChunk, 2*cap(buf)))
			if err := mr.reserve(size-reserved, n); err != nil {
				return nil, reserved, err
			}
			reserved = size
			buf = append(make([]byte, 0, size), buf...)
		}
		k, err := mr.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err != nil && len(buf) < n {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, reserved, err
		}
	}
	return buf, reserved, nil
}

func (mr *msgReader) reserve(size, n int) error {
	if mr.scope == nil {
		return nil
	}
	if err := mr.scope.ReserveMemory(size, network.ReservationPriorityMedium); err != nil {
		return fmt.Errorf("%w: %d more bytes for a message of %d: %v", ErrMemory, size, n, err)
	}
	return nil
}

func (mr *msgReader) release(n int) {
	if mr.scope != nil && n > 0 {
		mr.scope.ReleaseMemory(n)
	}
}

// decode decodes one message strictly and checks its list limits.
func decode(data []byte, v any) error {
	if err := protocol.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if c, ok := v.(checker); ok {
		if err := c.check(); err != nil {
			return err
		}
	}
	// One message, one encoding: a null, or a field present but empty,
	// decodes to the same value as its canonical form and is refused.
	if again, err := protocol.Marshal(v); err != nil || !bytes.Equal(again, data) {
		return fmt.Errorf("%w: not the canonical encoding of its content", ErrMalformed)
	}
	return nil
}

// readLen reads a message length: an unsigned LEB128 varint in its
// shortest form. An overflowing or padded varint is malformed.
func readLen(r io.ByteReader) (uint64, error) {
	var n uint64
	for i := range binary.MaxVarintLen64 {
		b, err := r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		if i == binary.MaxVarintLen64-1 && b > 1 {
			break
		}
		n |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			if b == 0 && i > 0 {
				return 0, fmt.Errorf("%w: length varint not in its shortest form", ErrMalformed)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("%w: length varint overflows 64 bits", ErrMalformed)
}
