package settle

import (
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

// TestPinProblems: a pin naming a proof, the district entry of another
// district, or nothing held is a problem; one naming its own district
// entry is not.
func TestPinProblems(t *testing.T) {
	good, proof, other, missing := protocol.Sum([]byte("good")), protocol.Sum([]byte("proof")), protocol.Sum([]byte("other")), protocol.Sum([]byte("missing"))
	body := func(name string) []byte {
		b, err := protocol.EncodeBody(&District{Name: name, Stewards: ids(newAuthor(t, 1))})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	held := map[cid.Cid]protocol.Entry{
		good:  {Kind: KindDistrict, District: "a/ok", Body: body("a/ok")},
		proof: {Kind: protocol.KindProof, District: "b/proof"},
		other: {Kind: KindDistrict, District: "elsewhere", Body: body("elsewhere")},
	}
	get := func(c cid.Cid) (protocol.Entry, bool) { e, ok := held[c]; return e, ok }
	got := PinProblems(Pins{"a/ok": good, "b/proof": proof, "c/other": other, "d/missing": missing}, get)
	want := []string{"names an entry of kind proof, not a district entry", `names the district entry of "elsewhere"`, "names no entry held here"}
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d: %q", len(got), len(want), got)
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("problem %d %q, want it to say %q", i, got[i], w)
		}
	}
}
