package settle

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"
)

// TestLawLazyLedger: a ledger read at random points while entries arrive
// (reads recompute a stale view) ends equal to the ledger computed from
// scratch.
func TestLawLazyLedger(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		l := NewLedger(nil)
		for i, r := range recs {
			l.Add(r)
			if rapid.Bool().Draw(t, "read"+string(rune('a'+i%26))) {
				_ = l.Digest()
			}
		}
		if vi, vf := viewOf(l), viewOf(Compute(setOf(recs...), nil)); !reflect.DeepEqual(vi, vf) {
			t.Fatalf("views differ:\nincremental %+v\nfull        %+v", vi, vf)
		}
	})
}

// TestLawVerifier: the verifier fed entry by entry, read at random
// points, shows the view Verify computes from scratch, and a snapshot
// taken before later entries does not change with them.
func TestLawVerifier(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		l := NewLedger(nil)
		v := NewVerifier(l.Set(), policy, nil)
		cut := rapid.IntRange(0, len(recs)).Draw(t, "snapshot at")
		var snap *Verification
		var want []Status
		for i, r := range recs {
			if i == cut {
				snap, want = v.Snapshot(), Verify(setOf(recs[:i]...), policy, nil).All()
			}
			v.Add(r, l.Add(r))
			if rapid.Bool().Draw(t, "read"+string(rune('a'+i%26))) {
				_ = v.View()
			}
		}
		got, full := v.View().All(), Verify(setOf(recs...), policy, nil).All()
		if !reflect.DeepEqual(got, full) {
			t.Fatalf("views differ:\nincremental %+v\nfull        %+v", got, full)
		}
		if snap != nil && !reflect.DeepEqual(snap.All(), want) {
			t.Fatalf("snapshot changed:\nnow  %+v\nwas  %+v", snap.All(), want)
		}
	})
}

// drawRules draws rules for the districts of recs, among their authors.
func drawRules(t *rapid.T, recs []*Record, label string) Rules {
	var authors []peer.ID
	districts := map[string]bool{}
	seen := map[peer.ID]bool{}
	for _, r := range recs {
		if !seen[r.Author()] {
			seen[r.Author()] = true
			authors = append(authors, r.Author())
		}
		districts[r.Entry.District] = true
	}
	slices.SortFunc(authors, func(a, b peer.ID) int { return strings.Compare(string(a), string(b)) })
	some := func(name string) []peer.ID {
		var out []peer.ID
		for i, a := range authors {
			if rapid.Bool().Draw(t, fmt.Sprintf("%s %s %d", label, name, i)) {
				out = append(out, a)
			}
		}
		return out
	}
	rules := Rules{}
	for _, d := range slices.Sorted(maps.Keys(districts)) {
		if !rapid.Bool().Draw(t, label+" rule of "+d) {
			continue
		}
		ru := &Rule{Stewards: some(d + " stewards"), Verifiers: some(d + " verifiers"),
			UnseatedStewards: some(d + " unseated stewards"), UnseatedVerifiers: some(d + " unseated verifiers"),
			Limits: map[string]uint64{"credit": rapid.Uint64Range(0, 100).Draw(t, label+" limit "+d)}}
		if rapid.Bool().Draw(t, label+" retire "+d) {
			ru.Retired = []string{"MIP-HLT@1"}
		}
		rules[d] = ru
	}
	return rules
}

// TestLawRules: the verifier, the ledger and the members, given rules at
// random points while entries arrive (and rules again later), show what
// VerifyUnder, ComputeUnder and MembersOfUnder compute from scratch
// under the last rules.
func TestLawRules(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		l := NewLedger(nil)
		v := NewVerifier(l.Set(), policy, nil)
		districts := []string{"meso", "other"}
		m := MembersOf(l.Set(), districts, nil)
		var rules Rules
		for i, r := range recs {
			c := l.Add(r)
			v.Add(r, c)
			if c != Known {
				m.Add(r)
			}
			if rapid.Bool().Draw(t, fmt.Sprint("rules at ", i)) {
				rules = drawRules(t, recs[:i+1], fmt.Sprint(i))
				v.SetRules(rules)
				l.SetRules(rules)
				m.SetRules(rules)
			}
			if rapid.Bool().Draw(t, fmt.Sprint("read ", i)) {
				_, _ = v.View(), l.Digest()
			}
		}
		s := setOf(recs...)
		if got, full := v.View().All(), VerifyUnder(s, policy, nil, rules).All(); !reflect.DeepEqual(got, full) {
			t.Fatalf("verification differs:\nincremental %+v\nfull        %+v", got, full)
		}
		if got, full := l.Digest(), ComputeUnder(s, nil, rules).Digest(); got != full {
			t.Fatal("ledger digests differ")
		}
		fm := MembersOfUnder(s, districts, nil, rules)
		for _, r := range recs {
			if m.Member(r.Author()) != fm.Member(r.Author()) {
				t.Fatalf("members differ on %s: incremental %v, full %v; stewards %v %v verifiers %v %v", r.Author(), m.Member(r.Author()), fm.Member(r.Author()), m.ds["meso"].roster.Stewards, fm.ds["meso"].roster.Stewards, m.ds["meso"].roster.Verifiers, fm.ds["meso"].roster.Verifiers)
			}
		}
	})
}
