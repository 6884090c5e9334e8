package entrytest

import (
	"slices"
	"testing"

	"github.com/mesocosm/mycel/internal/bodytest"
	"github.com/mesocosm/mycel/protocol"
)

// Seed is a body of one kind a body fuzz test starts from.
type Seed struct {
	Kind string
	Body protocol.Body
}

// FuzzBodies fuzzes the decoding of bodies of names (kinds registered in
// k): whatever bytes arrive as a body, decoding never panics, and a body
// that decodes is checked and canonical: it checks again and re-encodes
// to the same bytes. Seeds and their first halves start the corpus.
func FuzzBodies(f *testing.F, k protocol.Kinds, names []string, seeds ...Seed) {
	for _, s := range seeds {
		data, err := protocol.Marshal(s.Body)
		if err != nil {
			f.Fatal(err)
		}
		i := uint8(slices.Index(names, s.Kind))
		f.Add(i, data)
		f.Add(i, data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		bodytest.Canonical(t, k, names[int(which)%len(names)], data)
	})
}
