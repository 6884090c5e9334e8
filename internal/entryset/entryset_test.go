package entryset_test

import (
	"math/rand/v2"
	"testing"

	"github.com/mesocosm/mycel/internal/entryset"
	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

func TestIndexKeepsEntriesByIdentity(t *testing.T) {
	k := protocol.DefaultKinds()
	settle.Register(k)
	a := entrytest.NewAuthor(t, 1)
	r := a.Next(t, k, settle.KindRole, "meso", 1000, &settle.Role{Subject: []byte(a.ID), Role: settle.RoleSteward, Grant: true})
	again := a.Resign(t, k, r, rand.NewChaCha8([32]byte{1}))
	x := entryset.New()
	if e, first, given := x.Add(r); given || !first || e.CID != r.CID {
		t.Fatalf("first block: first %v given %v", first, given)
	}
	if _, _, given := x.Add(r); !given {
		t.Fatal("a block given twice is new")
	}
	e, first, given := x.Add(again)
	if given || first || len(e.Blocks) != 2 || e.ID() != r.ID {
		t.Fatalf("second block: first %v given %v blocks %d", first, given, len(e.Blocks))
	}
	least := r.CID
	if again.CID.KeyString() < least.KeyString() {
		least = again.CID
	}
	if e.CID != least {
		t.Fatalf("entry shown as %s, want the least CID %s", e.CID, least)
	}
	for _, c := range []*settle.Record{r, again} {
		if n, ok := x.Named(c.CID); !ok || n != e {
			t.Fatalf("block %s does not name its entry", c.CID)
		}
	}
	n := 0
	x.Each(func(*settle.Record) { n++ })
	if n != 2 {
		t.Fatalf("Each visits %d blocks, want 2", n)
	}
}
