package govern

import (
	"testing"

	"github.com/mesocosm/mycel/internal/bodytest"
)

// FuzzBodies: whatever bytes arrive as a proposal or vote body, decoding
// never panics, and a body that decodes is checked and canonical: it
// checks again and re-encodes to the same bytes.
func FuzzBodies(f *testing.F) {
	for _, v := range vectors(f) {
		data := v.Bytes(f)
		which := uint8(0)
		if v.Kind == KindVote {
			which = 1
		}
		f.Add(which, data)
		f.Add(which, data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		bodytest.Canonical(t, kinds, []string{KindProposal, KindVote}[which%2], data)
	})
}
