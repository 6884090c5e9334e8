package replicate

import (
	"fmt"
	"testing"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// cidSize is the binary size of an entry CID: CIDv1, dag-cbor, sha2-256.
const cidSize = 36

// naiveBytes is what a full-ID exchange costs: both sides send every CID
// they hold, framed like a sync message.
func naiveBytes(t testing.TB, a, b Vector) int {
	n := 0
	for _, v := range []Vector{a, b} {
		ids := 0
		for _, e := range v.elems {
			ids += int(e.ver.Seq)
		}
		list := make([][]byte, ids)
		for i := range list {
			list[i] = make([]byte, cidSize)
		}
		for i := 0; i < len(list); i += maxList {
			data, err := protocol.Marshal(message{B: list[i:min(i+maxList, len(list))]})
			if err != nil {
				t.Fatal(err)
			}
			n += len(data) + 3
		}
	}
	return n
}

// BenchmarkSyncBytes compares the bytes sync spends to find what differs
// between two vectors of 10,000 entries with the bytes of a naive
// exchange of every entry CID, in the same run.
func BenchmarkSyncBytes(b *testing.B) {
	for _, authors := range []int{20, 2000} {
		for _, missing := range []int{0, 1, 100} {
			b.Run(fmt.Sprintf("authors=%d/missing=%d", authors, missing), func(b *testing.B) {
				va, vb := sharedVectors(b, authors, 10000, missing)
				var sync, turns, naive int
				for b.Loop() {
					_, _, sync, turns = exchange(b, va, vb)
					naive = naiveBytes(b, va, vb)
				}
				b.ReportMetric(float64(sync), "sync-B")
				b.ReportMetric(float64(naive), "naive-B")
				b.ReportMetric(float64(sync)/float64(naive), "sync/naive")
				b.ReportMetric(float64(turns), "turns")
			})
		}
	}
}

// TestSyncCostOneMissing runs real sessions between vaults sharing 10,000
// entries, one of which b lacks: everything beyond that entry's bytes must
// stay under 2 KiB, whether the entries come from 20 or 2,000 authors.
func TestSyncCostOneMissing(t *testing.T) {
	if testing.Short() {
		t.Skip("signs 10,000 entries")
	}
	for _, authors := range []int{20, 2000} {
		t.Run(fmt.Sprint(authors, " authors"), func(t *testing.T) {
			a, b := newPeer(t), newPeer(t)
			var all []protocol.Block
			for range authors {
				x := vaulttest.NewAuthor(t)
				for range 10000 / authors {
					all = append(all, x.Next(t, "note", "", nil))
				}
			}
			put(t, a.v, all...)
			put(t, b.v, all[:len(all)-1]...)
			connect(t, a.h, b.h)
			st := syncT(t, b, a)
			missing := int64(len(all[len(all)-1].Data))
			over := st.BytesSent + st.BytesReceived - missing
			t.Logf("%d authors: %d bytes sent, %d received, %d beyond the %d-byte entry", authors, st.BytesSent, st.BytesReceived, over, missing)
			if st.New != 1 || over >= 2048 {
				t.Errorf("stats %+v: %d bytes beyond the missing entry, want 1 new and < 2048", st, over)
			}
		})
	}
}
