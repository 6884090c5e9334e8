package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// attestEntry is a valid attest entry in district d.
func attestEntry(t *testing.T, note, d string) protocol.Entry {
	t.Helper()
	body, err := protocol.EncodeBody(&protocol.Attest{
		Proof: protocol.LinkTo(protocol.Sum([]byte(note))), Verdict: protocol.Valid, Note: note,
	})
	if err != nil {
		t.Fatal(err)
	}
	return protocol.Entry{Kind: protocol.KindAttest, District: d, Time: 1, Body: body}
}

// TestBundleThroughAPI: want, export since the want, and import, all
// through the HTTP client, between two vaults.
func TestBundleThroughAPI(t *testing.T) {
	ctx := t.Context()
	src, dst := newFixture(t), newFixture(t)
	for i, d := range []string{"north", "north", "south"} {
		if _, err := src.vault.Append(src.vault.Key(), attestEntry(t, string(rune('a'+i)), "valley/"+d)); err != nil {
			t.Fatal(err)
		}
	}
	want, err := dst.client.WantBundle(ctx)
	if err != nil || len(want.Heads) != 0 {
		t.Fatalf("empty want %+v %v", want, err)
	}
	var car bytes.Buffer
	st, err := src.client.ExportBundle(ctx, &car, ExportRequest{District: "valley/north", Since: &want})
	if err != nil || st.Entries != 3 || st.Bytes != int64(car.Len()) {
		t.Fatalf("export %+v %v (%d bytes)", st, err, car.Len())
	}
	rep, err := dst.client.ImportBundle(ctx, bytes.NewReader(car.Bytes()))
	if err != nil || rep.New != 3 || rep.Rejected != 0 {
		t.Fatalf("import %+v %v", rep, err)
	}
	again, err := dst.client.ImportBundle(ctx, bytes.NewReader(car.Bytes()))
	if err != nil || again.Known != 3 || again.New != 0 {
		t.Fatalf("second import %+v %v", again, err)
	}
	if want, err = dst.client.WantBundle(ctx); err != nil || len(want.Heads) != 1 || want.Heads[0].Seq != 3 {
		t.Fatalf("want after import %+v %v", want, err)
	}
	var none bytes.Buffer
	_, err = src.client.ExportBundle(ctx, &none, ExportRequest{Since: &want})
	if !errors.Is(err, bundle.ErrNothing) || none.Len() != 0 {
		t.Fatalf("export of nothing: %v, %d bytes", err, none.Len())
	}
}

func TestBundleBadInput(t *testing.T) {
	ctx := t.Context()
	f := newFixture(t)
	if _, err := f.client.ImportBundle(ctx, bytes.NewReader([]byte("not a car"))); !errors.Is(err, ErrBadInput) {
		t.Fatalf("garbage import: %v", err)
	}
	for _, req := range []ExportRequest{
		{Authors: []string{"nobody"}},
		{District: "Not A District"},
		{Since: &bundle.Want{Version: 1, Heads: []bundle.WantHead{{Author: "x", Digest: "00"}}}},
	} {
		var out bytes.Buffer
		if _, err := f.client.ExportBundle(ctx, &out, req); !errors.Is(err, ErrBadInput) || out.Len() != 0 {
			t.Errorf("export %+v: %v, %d bytes", req, err, out.Len())
		}
	}
}

// importerMesh is a fakeMesh that imports bundles itself.
type importerMesh struct {
	fakeMesh
	calls int
}

func (m *importerMesh) Import(r io.Reader, _ func(int)) (bundle.Report, error) {
	m.calls++
	return bundle.Import(r, nil, m.v.Put, nil)
}

// TestImportThroughMesh: with a mesh that imports, Local hands it the
// bundle instead of writing the vault itself.
func TestImportThroughMesh(t *testing.T) {
	src, _ := newLocal(t)
	dst, v := newLocal(t)
	m := &importerMesh{fakeMesh: fakeMesh{v: v}}
	dst.Mesh = m
	if _, err := src.Vault.Append(src.Vault.Key(), attestEntry(t, "x", "valley/north")); err != nil {
		t.Fatal(err)
	}
	var car bytes.Buffer
	if _, err := src.ExportBundle(context.Background(), &car, ExportRequest{}); err != nil {
		t.Fatal(err)
	}
	rep, err := dst.ImportBundle(context.Background(), &car)
	if err != nil || rep.New != 1 || m.calls != 1 {
		t.Fatalf("import %+v %v, %d calls", rep, err, m.calls)
	}
}

// TestImportChecks: without a daemon, Local judges blocks with the
// kernel check: a bad attest body is rejected; an entry of an unknown kind
// is stored (it holds its place in its author's log, PROTOCOL §3.7).
func TestImportChecks(t *testing.T) {
	src, sv := newLocal(t)
	dst, _ := newLocal(t)
	a, b := vaulttest.NewAuthor(t), vaulttest.NewAuthor(t)
	bad := a.Next(t, protocol.KindAttest, "valley/north", vaulttest.Body(t, 1, "not an attest"))
	odd := b.Next(t, "future-kind", "valley/north", nil)
	if _, err := sv.Put(bad, odd); err != nil {
		t.Fatal(err)
	}
	var car bytes.Buffer
	if _, err := src.ExportBundle(context.Background(), &car, ExportRequest{}); err != nil {
		t.Fatal(err)
	}
	rep, err := dst.ImportBundle(context.Background(), &car)
	if err != nil || rep.New != 1 || rep.Rejected != 1 || rep.Ignored != 0 || len(rep.Reasons) != 1 {
		t.Fatalf("import %+v %v", rep, err)
	}
}

// TestImportFarFuture: without a daemon, an entry dated past the time
// window is ignored on import, as on gossip.
func TestImportFarFuture(t *testing.T) {
	src, sv := newLocal(t)
	dst, dv := newLocal(t)
	key := vaulttest.NewAuthor(t).Key
	e := attestEntry(t, "from year 11476", "valley/north")
	e.Seq, e.Time = 1, 300_000_000_000_000
	future, err := protocol.Sign(key, e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Put(future); err != nil {
		t.Fatal(err)
	}
	var car bytes.Buffer
	if _, err := src.ExportBundle(context.Background(), &car, ExportRequest{}); err != nil {
		t.Fatal(err)
	}
	rep, err := dst.ImportBundle(context.Background(), &car)
	if err != nil || rep.Ignored != 1 {
		t.Fatalf("import %+v %v, want the far-future entry ignored", rep, err)
	}
	if ok, _ := dv.Has(future.CID); ok {
		t.Error("the far-future entry was stored")
	}
}
