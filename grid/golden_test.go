package grid

import (
	"flag"
	"testing"

	"github.com/mesocosm/mycel/internal/bodytest"
)

var update = flag.Bool("update", false, "rewrite testdata/bodies.json from the current code")

const goldenPath = "testdata/bodies.json"

// vectors are bodies of each kind and their canonical DAG-CBOR bytes, for
// implementations that check their encoding against this one
// (docs/PROTOCOL.md §10.1).
func vectors(t *testing.T) []bodytest.Vector {
	return bodytest.Vectors(t, []bodytest.Body{
		{Kind: KindOffer, Note: "256 MiB, 30 s, 5 credit per job, two districts", Body: goodOffer()},
		{Kind: KindOffer, Note: "withdrawn", Body: &Offer{Withdrawn: true}},
		{Kind: KindJob, Note: "module \"m\", empty input, k = 3, at most 9 credit", Body: goodJob()},
		{Kind: KindResult, Note: "output \"out\" of the job entry CID sum(\"job\")", Body: goodResult()},
		{Kind: KindResult, Note: "timed out", Body: with(goodResult(), func(r *Result) { r.Exit, r.Error = 1, ErrorTimeout })},
	})
}

// TestGolden: the bodies' bytes match testdata/bodies.json, and every
// vector decodes under its kind.
func TestGolden(t *testing.T) {
	bodytest.Golden(t, goldenPath, *update, vectors(t), kinds)
}
