package settle

import (
	"slices"
	"testing"
)

// TestSetFarSeqsAndForks covers the parts of a log the laws rarely reach:
// an entry far past the dense part, a fork there, and the far entry
// joining the dense part once the gap before it fills.
func TestSetFarSeqsAndForks(t *testing.T) {
	a, b := newAuthor(t, 1), newAuthor(t, 2)
	far := uint64(maxGap + 10)
	one := a.pay(t, "", b, 1, "credit")
	x := a.at(t, far, one.CID, KindRole, "", &Role{Subject: []byte(b.id), Role: RoleVerifier, Grant: true})
	y := a.at(t, far, one.CID, KindRole, "", &Role{Subject: []byte(b.id), Role: RoleVerifier, Grant: false})
	s := NewSet()
	for _, r := range []*Record{one, x} {
		if got := s.Insert(r).Change; got != Added {
			t.Fatalf("insert seq %d: %v, want Added", r.ID.Seq, got)
		}
	}
	c := s.Clone()
	if got := s.Insert(y).Change; got != Forked {
		t.Fatalf("second entry at seq %d: %v, want Forked", far, got)
	}
	want := []*Record{x, y}
	slices.SortFunc(want, before)
	if got := s.At(a.id, far); !slices.Equal(got, want) {
		t.Fatalf("At(far) = %v, want %v by digest", got, want)
	}
	if f := s.Forks(); len(f) != 1 || f[0] != [2]*Record{want[0], want[1]} {
		t.Fatalf("Forks() = %v", f)
	}
	if len(c.At(a.id, far)) != 1 || len(c.Forked()) != 0 {
		t.Fatal("the clone changed with the original")
	}
	if s.Head(a.id) != 1 || s.Len() != 3 {
		t.Fatalf("head %d len %d, want 1 and 3", s.Head(a.id), s.Len())
	}
	// A seq near the far one grows the dense part over it.
	near := a.at(t, far-1, one.CID, KindRole, "", &Role{Subject: []byte(b.id), Role: RoleSteward, Grant: true})
	s.Insert(near)
	if got := s.At(a.id, far); !slices.Equal(got, want) {
		t.Fatalf("after the dense part grew, At(far) = %v", got)
	}
	if got := s.Records(); len(got) != 4 || got[1] != near || got[3] != want[1] {
		t.Fatalf("Records() out of canonical order: %v", got)
	}
}
