package grid

import (
	"testing"

	"github.com/mesocosm/mycel/internal/entrytest"
)

// FuzzBodies: whatever bytes arrive as a grid body, decoding never
// panics, and a body that decodes is checked and canonical.
func FuzzBodies(f *testing.F) {
	entrytest.FuzzBodies(f, kinds, []string{KindOffer, KindJob, KindResult},
		entrytest.Seed{Kind: KindOffer, Body: goodOffer()}, entrytest.Seed{Kind: KindJob, Body: goodJob()},
		entrytest.Seed{Kind: KindResult, Body: goodResult()}, entrytest.Seed{Kind: KindOffer, Body: &Offer{Withdrawn: true}})
}
