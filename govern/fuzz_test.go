package govern

import (
	"bytes"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

// FuzzBodies: whatever bytes arrive as a proposal or vote body, decoding
// never panics, and a body that decodes is checked and canonical: it
// checks again and re-encodes to the same bytes.
func FuzzBodies(f *testing.F) {
	for _, v := range vectors(f) {
		data := v.bytes(f)
		which := uint8(0)
		if v.Kind == KindVote {
			which = 1
		}
		f.Add(which, data)
		f.Add(which, data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		kind := []string{KindProposal, KindVote}[which%2]
		body, err := kinds.Decode(protocol.Entry{Kind: kind, Body: data})
		if err != nil {
			return
		}
		if err := body.Check(); err != nil {
			t.Fatalf("%s body decodes but does not check: %v", kind, err)
		}
		again, err := protocol.Marshal(body)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("%s body decodes but re-encodes differently: %v", kind, err)
		}
	})
}
