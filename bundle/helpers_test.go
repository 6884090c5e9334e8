package bundle_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
	"github.com/ipld/go-car/v2/storage"
	"go.uber.org/goleak"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// note is the body of the test kind "note", the shape vaulttest.Body makes.
type note struct {
	N    uint64 `cbor:"n"`
	Note string `cbor:"note"`
}

func (note) Check() error { return nil }

// check is the gossip check with the test kind "note" added.
func check() bundle.Check {
	kinds := protocol.DefaultKinds()
	mip.Register(kinds)
	kinds.Register("note", func() protocol.Body { return new(note) })
	return mip.Checker{Kinds: kinds, MIPs: mip.Builtins()}.Check
}

func newVault(t testing.TB) *vault.Bolt {
	t.Helper()
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

// write signs n more notes by a in district d and stores them in each vault.
func write(t testing.TB, a *vaulttest.Author, n int, d string, vs ...*vault.Bolt) []protocol.Block {
	t.Helper()
	blocks := make([]protocol.Block, n)
	for i := range blocks {
		blocks[i] = a.Next(t, "note", d, nil)
	}
	for _, v := range vs {
		put(t, v, blocks...)
	}
	return blocks
}

func put(t testing.TB, v *vault.Bolt, blocks ...protocol.Block) {
	t.Helper()
	for c := range slices.Chunk(blocks, bundle.BatchSize) {
		if _, err := v.Put(c...); err != nil {
			t.Fatal(err)
		}
	}
}

// authors returns n new authors sorted by peer ID, the order of a vault's heads.
func authors(t testing.TB, n int) []*vaulttest.Author {
	as := make([]*vaulttest.Author, n)
	for i := range as {
		as[i] = vaulttest.NewAuthor(t)
	}
	slices.SortFunc(as, func(a, b *vaulttest.Author) int { return bytes.Compare([]byte(a.ID), []byte(b.ID)) })
	return as
}

func export(t testing.TB, v vault.Reader, f bundle.Filter) ([]byte, bundle.Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := bundle.Export(&buf, v, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes != int64(buf.Len()) {
		t.Fatalf("stats say %d bytes, wrote %d", st.Bytes, buf.Len())
	}
	return buf.Bytes(), st
}

func importInto(t testing.TB, v *vault.Bolt, file []byte) bundle.Report {
	t.Helper()
	rep, err := bundle.Import(bytes.NewReader(file), check(), v.Put, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// readCAR reads a file with go-car's own reader, verifying every block's
// hash, and returns its roots and block CIDs in file order.
func readCAR(t testing.TB, file []byte) (roots, blocks []cid.Cid) {
	t.Helper()
	br, err := carv2.NewBlockReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := br.Next()
		if err == io.EOF {
			return br.Roots, blocks
		}
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, b.Cid())
	}
}

// rawBlock is a CAR section as written, right or wrong.
type rawBlock struct {
	cid  cid.Cid
	data []byte
}

// writeCAR writes sections as given with go-car, with no checks.
func writeCAR(t testing.TB, roots []cid.Cid, blocks ...rawBlock) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := storage.NewWritable(&buf, roots, carv2.WriteAsCarV1(true))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if err := w.Put(context.Background(), b.cid.KeyString(), b.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finalize(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func raw(blocks ...protocol.Block) []rawBlock {
	out := make([]rawBlock, len(blocks))
	for i, b := range blocks {
		out[i] = rawBlock{b.CID, b.Data}
	}
	return out
}

func cids(blocks ...protocol.Block) []cid.Cid {
	out := make([]cid.Cid, len(blocks))
	for i, b := range blocks {
		out[i] = b.CID
	}
	return out
}

func digest(t testing.TB, v *vault.Bolt) [32]byte {
	t.Helper()
	d, err := v.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wantOf(t testing.TB, v vault.Reader) *bundle.Want {
	t.Helper()
	w, err := bundle.WantOf(v)
	if err != nil {
		t.Fatal(err)
	}
	return &w
}
