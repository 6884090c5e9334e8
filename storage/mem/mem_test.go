package mem_test

import (
	"testing"

	"github.com/mesocosm/mycel/storage/mem"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

func TestConformance(t *testing.T) {
	vaulttest.Test(t, func(t *testing.T) vault.Store { return mem.New(nil) })
}

func TestCloneIsIndependent(t *testing.T) {
	a := vaulttest.NewAuthor(t)
	s := mem.New(nil)
	if _, err := s.Put(a.Next(t, "note", "", nil)); err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	if _, err := s.Put(a.Next(t, "note", "", nil)); err != nil {
		t.Fatal(err)
	}
	if h, _ := c.Head(a.ID); h.Seq != 1 {
		t.Errorf("clone head %d after a put to the original, want 1", h.Seq)
	}
	if c.Digest() == s.Digest() {
		t.Error("clone and original have one digest for different entry sets")
	}
	if ok, _ := c.HasAuthor(a.ID); !ok {
		t.Error("clone does not hold the author")
	}
}
