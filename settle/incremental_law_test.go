package settle

import (
	"reflect"
	"testing"

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
