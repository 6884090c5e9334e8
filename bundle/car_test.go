package bundle_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
	"github.com/ipld/go-car/v2/storage"
	"github.com/ipld/go-ipld-prime/codec/dagcbor"
	"github.com/ipld/go-ipld-prime/node/basicnode"
	"github.com/multiformats/go-multicodec"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
)

// TestCARStandard: go-car's own readers accept a bundle as a CARv1 whose
// roots are the heads and whose every block hashes to its CID, and
// go-ipld-prime decodes each block as DAG-CBOR.
func TestCARStandard(t *testing.T) {
	v := newVault(t)
	var all []protocol.Block
	var heads []cid.Cid
	for _, a := range authors(t, 3) {
		log := write(t, a, 50, "valley", v)
		all = append(all, log...)
		heads = append(heads, log[len(log)-1].CID)
	}
	file, _ := export(t, v, bundle.Filter{})

	t.Run("block reader", func(t *testing.T) {
		roots, got := readCAR(t, file) // hash-checking reader
		if !slices.Equal(roots, heads) || !slices.Equal(got, cids(all...)) {
			t.Fatal("roots or blocks differ from the heads and logs")
		}
	})
	t.Run("reader inspect", func(t *testing.T) {
		r, err := carv2.NewReader(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		st, err := r.Inspect(true)
		if err != nil {
			t.Fatal(err)
		}
		if st.Version != 1 || !st.RootsPresent || st.BlockCount != uint64(len(all)) ||
			st.CodecCounts[multicodec.DagCbor] != uint64(len(all)) || st.MhTypeCounts[multicodec.Sha2_256] != uint64(len(all)) {
			t.Fatalf("inspect = %+v", st)
		}
		if roots, _ := r.Roots(); !slices.Equal(roots, heads) {
			t.Fatalf("roots = %v", roots)
		}
	})
	t.Run("readable storage", func(t *testing.T) {
		s, err := storage.OpenReadable(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s.Roots(), heads) {
			t.Fatalf("roots = %v", s.Roots())
		}
		for _, b := range all {
			data, err := s.Get(context.Background(), b.CID.KeyString())
			if err != nil || !bytes.Equal(data, b.Data) {
				t.Fatalf("get %s: %v", b.CID, err)
			}
			nb := basicnode.Prototype.Any.NewBuilder()
			if err := dagcbor.Decode(nb, bytes.NewReader(data)); err != nil {
				t.Fatalf("dag-cbor decode %s: %v", b.CID, err)
			}
			var again bytes.Buffer
			if err := dagcbor.Encode(nb.Build(), &again); err != nil || !protocol.Sum(again.Bytes()).Equals(b.CID) {
				t.Fatalf("dag-cbor round trip of %s changes its CID (%v)", b.CID, err)
			}
		}
	})
	t.Run("carv2 wrapped imports", func(t *testing.T) {
		var v2 bytes.Buffer
		if err := carv2.WrapV1(bytes.NewReader(file), &v2); err != nil {
			t.Fatal(err)
		}
		dst := newVault(t)
		if rep := importInto(t, dst, v2.Bytes()); rep.New != len(all) || rep.Damaged != "" {
			t.Fatalf("import of CARv2 = %+v", rep)
		}
		if digest(t, dst) != digest(t, v) {
			t.Fatal("digests differ")
		}
	})
}
