package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/ipld/go-ipld-prime/codec/dagcbor"
	"github.com/ipld/go-ipld-prime/codec/dagjson"
	"github.com/ipld/go-ipld-prime/datamodel"
	cidlink "github.com/ipld/go-ipld-prime/linking/cid"
	"github.com/ipld/go-ipld-prime/node/basicnode"
	mh "github.com/multiformats/go-multihash"
)

// ipldDecode decodes data with go-ipld-prime's strict DAG-CBOR codec.
func ipldDecode(data []byte) (datamodel.Node, error) {
	nb := basicnode.Prototype.Any.NewBuilder()
	if err := dagcbor.Decode(nb, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return nb.Build(), nil
}

func ipldEncode(t testing.TB, n datamodel.Node) []byte {
	var buf bytes.Buffer
	if err := dagcbor.Encode(n, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestInteropIPLD is the proof that entries are real DAG-CBOR: the
// reference IPLD implementation decodes every golden block, re-encodes it
// to the same bytes, computes the same CID and renders the same DAG-JSON.
func TestInteropIPLD(t *testing.T) {
	lsys := cidlink.DefaultLinkSystem()
	lp := cidlink.LinkPrototype{Prefix: cid.Prefix{
		Version: 1, Codec: cid.DagCBOR, MhType: mh.SHA2_256, MhLength: 32,
	}}
	for _, g := range loadGolden(t) {
		data := g.bytes(t)
		n, err := ipldDecode(data)
		if err != nil {
			t.Fatalf("%s: go-ipld-prime rejects the block: %v", g.Name, err)
		}
		if again := ipldEncode(t, n); !bytes.Equal(again, data) {
			t.Fatalf("%s: go-ipld-prime re-encodes differently:\n%x\n%x", g.Name, again, data)
		}
		lnk, err := lsys.ComputeLink(lp, n)
		if err != nil {
			t.Fatal(err)
		}
		if got := lnk.(cidlink.Link).Cid.String(); got != g.CID {
			t.Fatalf("%s: go-ipld-prime CID %s, ours %s", g.Name, got, g.CID)
		}
		var js bytes.Buffer
		if err := dagjson.Encode(n, &js); err != nil {
			t.Fatal(err)
		}
		if ours := dagJSON(t, data); !bytes.Equal(js.Bytes(), ours) {
			t.Fatalf("%s: DAG-JSON differs:\nipld: %s\nours: %s", g.Name, js.Bytes(), ours)
		}
		var a, b any
		if err := json.Unmarshal(js.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(g.Decoded, &b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: golden decoded form differs from go-ipld-prime's DAG-JSON", g.Name)
		}
	}
}
