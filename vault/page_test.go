package vault_test

import (
	"testing"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// TestQueryPageReadsBounded: a filter the index does not cover and no
// entry matches ends each page after MaxPageScan entries read, empty and
// with a cursor, instead of reading the whole vault; the pages still end.
func TestQueryPageReadsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a vault")
	}
	v := newBolt(t)
	a := vaulttest.NewAuthor(t)
	n := storage.MaxPageScan + storage.MaxPageScan/2
	var batch []protocol.Block
	for range n {
		batch = append(batch, a.Next(t, "note", "valley", nil))
		if len(batch) == 1000 {
			if _, err := v.Put(batch...); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if _, err := v.Put(batch...); err != nil {
		t.Fatal(err)
	}
	q := vault.Query{District: "valley", Kind: "proof"} // scans the district index
	p, err := v.QueryPage(q, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocks) != 0 || p.Next == "" {
		t.Fatalf("first page: %d blocks, next %q; want none and a cursor after %d entries read", len(p.Blocks), p.Next, storage.MaxPageScan)
	}
	p, err = v.QueryPage(q, p.Next, 10)
	if err != nil || len(p.Blocks) != 0 || p.Next != "" {
		t.Fatalf("second page: %d blocks, next %q, %v; want the end", len(p.Blocks), p.Next, err)
	}
	// A cursor of one query is not taken by another.
	notes, err := v.QueryPage(vault.Query{Kind: "note"}, "", 10)
	if err != nil || len(notes.Blocks) != 10 || notes.Next == "" {
		t.Fatalf("notes page: %d blocks, next %q, %v", len(notes.Blocks), notes.Next, err)
	}
	if _, err := v.QueryPage(vault.Query{District: "valley"}, notes.Next, 10); err == nil {
		t.Error("a district query took a kind query's cursor")
	}
}
