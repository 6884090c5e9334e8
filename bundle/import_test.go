package bundle_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-varint"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

func TestImportIdempotent(t *testing.T) {
	src, dst := newVault(t), newVault(t)
	for _, a := range authors(t, 3) {
		write(t, a, 200, "valley", src)
	}
	file, _ := export(t, src, bundle.Filter{})
	if rep := importInto(t, dst, file); rep.New != 600 || rep.Known != 0 || rep.Rejected != 0 {
		t.Fatalf("first import = %+v, want 600 new", rep)
	}
	before := digest(t, dst)
	if before != digest(t, src) {
		t.Fatal("digests differ after import")
	}
	if rep := importInto(t, dst, file); rep.New != 0 || rep.Known != 600 {
		t.Fatalf("second import = %+v, want 600 known", rep)
	}
	if digest(t, dst) != before {
		t.Fatal("second import changed the vault")
	}
	if err := dst.Check(); err != nil {
		t.Fatal(err)
	}
}

// forged is a's entry claiming b as its author: a's signature, b's name.
func forged(t *testing.T, a, b *vaulttest.Author) protocol.Block {
	e := a.Next(t, "note", "", nil).Entry
	e.Author = b.ID
	blk, err := protocol.Seal(e)
	if err != nil {
		t.Fatal(err)
	}
	return blk
}

// misSigned is a's next entry with one signature bit flipped, resealed so
// that its CID matches its bytes.
func misSigned(t *testing.T, a *vaulttest.Author) protocol.Block {
	e := a.Next(t, "note", "", nil).Entry
	e.Sig = slices.Clone(e.Sig)
	e.Sig[7] ^= 1
	blk, err := protocol.Seal(e)
	if err != nil {
		t.Fatal(err)
	}
	return blk
}

// TestImportDamage: a bundle with a forged, a mis-signed, a wrong-CID block
// and a truncated tail imports the rest and reports each with its reason.
func TestImportDamage(t *testing.T) {
	as := authors(t, 3)
	good := make([]protocol.Block, 6)
	for i := range good {
		good[i] = as[0].Next(t, "note", "", nil)
	}
	f := forged(t, as[1], as[2])
	m := misSigned(t, as[2])
	bad := []rawBlock{
		{f.CID, f.Data},
		{m.CID, m.Data},
		{protocol.Sum([]byte("something else")), good[5].Data},
	}
	sections := append(raw(good[:2]...), bad[0])
	sections = append(sections, raw(good[2:4]...)...)
	sections = append(sections, bad[1], bad[2], raw(good[4])[0])
	whole := writeCAR(t, []cid.Cid{good[4].CID}, sections...)
	last := writeCAR(t, []cid.Cid{good[4].CID}, raw(good[4])...)
	cut := whole[:len(whole)-len(good[4].Data)/2] // good[4] loses its tail

	dst := newVault(t)
	rep := importInto(t, dst, cut)
	if rep.New != 4 || rep.Rejected != 3 || rep.Known != 0 || rep.Pending != 0 {
		t.Fatalf("report = %+v, want 4 new, 3 rejected", rep)
	}
	if rep.Damaged == "" || !strings.Contains(rep.Damaged, "after block 7") {
		t.Errorf("damaged = %q, want the cut after block 7", rep.Damaged)
	}
	wantReasons := []struct {
		c    cid.Cid
		sent error
	}{{f.CID, protocol.ErrBadSignature}, {m.CID, protocol.ErrBadSignature}, {bad[2].cid, protocol.ErrBadCID}}
	if len(rep.Reasons) != 3 {
		t.Fatalf("reasons = %q", rep.Reasons)
	}
	for i, w := range wantReasons {
		r := rep.Reasons[i]
		if !strings.HasPrefix(r, w.c.String()+": reject: ") || !strings.Contains(r, w.sent.Error()) {
			t.Errorf("reason %d = %q, want %s rejected for %v", i, r, w.c, w.sent)
		}
	}
	checkLog(t, dst, as[0], good[:4])
	if h, _ := dst.Head(as[2].ID); h.Seq != 0 {
		t.Error("a forged or mis-signed entry was stored")
	}
	// The rest of the log arrives later and joins.
	if rep := importInto(t, dst, last); rep.New != 1 {
		t.Fatalf("tail import = %+v", rep)
	}
	checkLog(t, dst, as[0], good[:5])
}

func checkLog(t *testing.T, v *vault.Bolt, a *vaulttest.Author, want []protocol.Block) {
	t.Helper()
	got, err := v.Log(a.ID, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cids(got...), cids(want...)) {
		t.Fatalf("log = %d entries, want %d", len(got), len(want))
	}
}

// TestImportCorrupt flips bytes in the middle of an exported file.
func TestImportCorrupt(t *testing.T) {
	src := newVault(t)
	a := authors(t, 1)[0]
	log := write(t, a, 20, "", src)
	file, _ := export(t, src, bundle.Filter{})
	at := bytes.Index(file, log[10].Data)
	size := uint64(len(log[10].CID.Bytes()) + len(log[10].Data))
	lenAt := bytes.Index(file, log[10].CID.Bytes()) - varint.UvarintSize(size)

	t.Run("in a block", func(t *testing.T) {
		bad := slices.Clone(file)
		bad[at+len(log[10].Data)/2] ^= 0x40
		dst := newVault(t)
		rep := importInto(t, dst, bad)
		if rep.New != 10 || rep.Rejected != 1 || rep.Pending != 9 || rep.Damaged != "" {
			t.Fatalf("report = %+v, want 10 new, 1 rejected, 9 pending", rep)
		}
		if !strings.Contains(rep.Reasons[0], protocol.ErrBadCID.Error()) {
			t.Errorf("reason = %q", rep.Reasons[0])
		}
	})
	t.Run("in the framing", func(t *testing.T) {
		bad := slices.Clone(file)
		for i := lenAt; i < lenAt+varint.UvarintSize(size); i++ {
			bad[i] = 0xff // the length runs on into the CID
		}
		dst := newVault(t)
		rep := importInto(t, dst, bad)
		if rep.New != 10 || rep.Damaged == "" {
			t.Fatalf("report = %+v, want 10 new and damage", rep)
		}
	})
}

func TestImportNotBundle(t *testing.T) {
	for name, in := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("hello, this is not a car file\n"),
		"want file": []byte(`{"version":1,"heads":[]}`),
		"cbor int":  {0x01, 0x02},
		"version 3": {0x0a, 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x03},
	} {
		t.Run(name, func(t *testing.T) {
			calls := 0
			_, err := bundle.Import(bytes.NewReader(in), check(), func(b ...protocol.Block) ([]vault.Result, error) {
				calls++
				return nil, nil
			}, nil)
			if !errors.Is(err, bundle.ErrNotBundle) {
				t.Fatalf("err = %v, want ErrNotBundle", err)
			}
			if calls != 0 {
				t.Fatal("put was called")
			}
		})
	}
}

// TestImportChecks: an entry that opens but fails the kernel check is
// rejected as gossip would, and not stored; an entry of a kind the check
// does not know is stored (it holds its place in its author's log).
func TestImportChecks(t *testing.T) {
	a := authors(t, 1)[0]
	ok := a.Next(t, "note", "", nil)
	unknown := a.Next(t, "strange-kind", "", nil)
	badBody := a.Next(t, "proof", "", vaulttest.Body(t, 3, "not a proof"))
	file := writeCAR(t, []cid.Cid{ok.CID}, raw(ok, unknown, badBody)...)
	dst := newVault(t)
	rep := importInto(t, dst, file)
	if rep.New != 2 || rep.Ignored != 0 || rep.Rejected != 1 {
		t.Fatalf("report = %+v, want 2 new, 1 rejected", rep)
	}
	if len(rep.Reasons) != 1 || !strings.Contains(rep.Reasons[0], ": reject: ") {
		t.Errorf("reasons = %q", rep.Reasons)
	}
	if has, _ := dst.Has(unknown.CID); !has {
		t.Error("the entry of an unknown kind was not stored")
	}
}

// TestImportBatches: entries are stored BatchSize per transaction, and a
// store error stops the import with the batches before it kept.
func TestImportBatches(t *testing.T) {
	src := newVault(t)
	write(t, authors(t, 1)[0], 2*bundle.BatchSize+10, "", src)
	file, _ := export(t, src, bundle.Filter{})
	dst := newVault(t)
	var sizes []int
	fail := errors.New("disk full")
	_, err := bundle.Import(bytes.NewReader(file), nil, func(b ...protocol.Block) ([]vault.Result, error) {
		if sizes = append(sizes, len(b)); len(sizes) == 3 {
			return nil, fail
		}
		return dst.Put(b...)
	}, nil)
	if !errors.Is(err, fail) {
		t.Fatalf("err = %v, want the store's", err)
	}
	if !slices.Equal(sizes, []int{bundle.BatchSize, bundle.BatchSize, 10}) {
		t.Errorf("batches = %v", sizes)
	}
	if n, _ := dst.Count(); n != 2*bundle.BatchSize {
		t.Errorf("stored %d, want the first two batches", n)
	}
}

func TestImportProgress(t *testing.T) {
	src := newVault(t)
	write(t, authors(t, 1)[0], 7, "", src)
	file, _ := export(t, src, bundle.Filter{})
	last := 0
	if _, err := bundle.Import(bytes.NewReader(file), nil, newVault(t).Put, func(n int) { last = n }); err != nil {
		t.Fatal(err)
	}
	if last != 7 {
		t.Fatalf("progress ended at %d, want 7", last)
	}
}

// TestImportChunkBytes: a chunk ends at the block that takes it past
// BatchBytes, so large blocks make chunks of fewer than BatchSize.
func TestImportChunkBytes(t *testing.T) {
	const size = 60 << 10
	var blocks []rawBlock
	for i := range 100 {
		data := bytes.Repeat([]byte{byte(i)}, size)
		blocks = append(blocks, rawBlock{protocol.Sum(data), data})
	}
	file := writeCAR(t, []cid.Cid{blocks[0].cid}, blocks...)
	var reads []int
	rep, err := bundle.Import(bytes.NewReader(file), nil, newVault(t).Put, func(n int) { reads = append(reads, n) })
	if err != nil || rep.Rejected != 100 {
		t.Fatalf("import = %+v, %v; want 100 rejected", rep, err)
	}
	first := (bundle.BatchBytes + size - 1) / size
	if !slices.Equal(reads, []int{first, 100}) {
		t.Errorf("progress = %v, want [%d 100]", reads, first)
	}
}
