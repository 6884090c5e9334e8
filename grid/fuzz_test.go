package grid

import (
	"testing"

	"github.com/mesocosm/mycel/internal/bodytest"
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
		bodytest.Canonical(t, kinds, gridKinds[int(which)%len(gridKinds)], data)
	})
}
