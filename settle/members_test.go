package settle

import (
	"maps"
	"reflect"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"
)

// TestLawMembers: Members fed entry by entry holds the roster members
// Rosters computes from scratch with no author flagged, and what each Add
// reports gained is exactly who became a member; MembersOf a set holds
// the same.
func TestLawMembers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		m := NewMembers([]string{"meso", "elsewhere"}, nil)
		s := NewSet()
		was := map[peer.ID]bool{}
		for _, r := range recs {
			if s.Insert(r).Change == Known {
				continue
			}
			gained := m.Add(r)
			now := membersOf(Rosters(s, nil, nil)["meso"])
			for p := range now {
				if !m.Member(p) {
					t.Fatalf("%s is a member from scratch, not incrementally", p)
				}
			}
			want := map[peer.ID]bool{}
			for p := range now {
				if !was[p] {
					want[p] = true
				}
			}
			got := map[peer.ID]bool{}
			for _, p := range gained {
				got[p] = true
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("gained %v, want %v", got, want)
			}
			was = now
		}
		if got := membersOf(m.ds["meso"].roster); !reflect.DeepEqual(got, was) {
			t.Fatalf("members %v, from scratch %v", got, was)
		}
		if got := membersOf(MembersOf(s, []string{"meso"}, nil).ds["meso"].roster); !reflect.DeepEqual(got, was) {
			t.Fatalf("MembersOf: %v, from scratch %v", got, was)
		}
	})
}

func membersOf(ro *Roster) map[peer.ID]bool {
	out := map[peer.ID]bool{}
	if ro != nil {
		maps.Copy(out, ro.Stewards)
		maps.Copy(out, ro.Verifiers)
	}
	return out
}
