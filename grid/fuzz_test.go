package grid

import (
	"bytes"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

// gridKinds are the kinds this package registers, in a fixed order so a
// fuzz input picks one by index.
var gridKinds = []string{KindOffer, KindJob, KindResult}

// FuzzBodies: whatever bytes arrive as a grid body, decoding never
// panics, and a body that decodes is checked and canonical: it checks
// again and re-encodes to the same bytes.
func FuzzBodies(f *testing.F) {
	for i, s := range []protocol.Body{goodOffer(), goodJob(), goodResult(), &Offer{Withdrawn: true}} {
		data, err := protocol.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), data)
		f.Add(uint8(i), data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		kind := gridKinds[int(which)%len(gridKinds)]
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
