package replicate

import (
	"bufio"
	"bytes"
	"testing"
)

// FuzzReadMsg: a sync message read from any bytes never panics, and one
// that reads is canonical: writing it back gives the same frame.
func FuzzReadMsg(f *testing.F) {
	for _, m := range []message{
		{M: true},
		{E: &failure{C: uint64(CodeBusy), R: "busy"}},
		{B: [][]byte{{0xa0}}},
	} {
		var buf bytes.Buffer
		if err := writeMsg(&buf, m); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		var m message
		r := bufio.NewReader(bytes.NewReader(data))
		if readMsg(r, &m) != nil {
			return
		}
		var again bytes.Buffer
		if err := writeMsg(&again, m); err != nil {
			t.Fatalf("a message that reads does not write: %v", err)
		}
		if !bytes.HasPrefix(data, again.Bytes()) {
			t.Fatalf("message re-encodes differently from the frame it was read from")
		}
	})
}
