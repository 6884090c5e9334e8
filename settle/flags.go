package settle

import (
	"maps"
	"slices"
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Flags is the set of equivocating authors: those with two different
// entries at one seq in the set, and those convicted by a fraud entry in
// the set (whoever wrote it: a fraud body proves itself).
type Flags map[peer.ID]bool

// Flagged computes the flags of s.
func Flagged(s *Set) Flags {
	f := Flags{}
	for _, a := range s.Forked() {
		f[a] = true
	}
	s.Each(func(r *Record) {
		if a, ok := accused(r); ok {
			f[a] = true
		}
	})
	return f
}

// accused returns the author a fraud record convicts.
func accused(r *Record) (peer.ID, bool) {
	if fr, ok := r.Body.(*Fraud); ok && fr.Accused() != "" {
		return fr.Accused(), true
	}
	return "", false
}

// List returns the flagged authors in byte order.
func (f Flags) List() []peer.ID {
	return slices.SortedFunc(maps.Keys(f), func(a, b peer.ID) int {
		return strings.Compare(string(a), string(b))
	})
}
