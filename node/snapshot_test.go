package node

import (
	"slices"
	"testing"
	"time"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

// TestStatusSnapshotSkipsLedger: after each new entry, a snapshot asked
// only for a proof's status costs a small part of one asked for the
// ledger digest: the ledger's parts (balances, every receipt line, the
// digest) are computed when read, not with every snapshot.
func TestStatusSnapshotSkipsLedger(t *testing.T) {
	if testing.Short() {
		t.Skip("signs 20,000 entries")
	}
	const held, rounds = 20_000, 9
	blocks := world(t, held+2*rounds)
	w := newViews(mip.Builtins(), nil)
	w.add(blocks[:held]...)
	proof := blocks[1].CID // world's first proof
	if _, ok := w.snapshot().Status(proof); !ok {
		t.Fatal("the proof is not in the views")
	}
	var status, ledger []time.Duration
	for i := range rounds {
		w.add(blocks[held+2*i])
		start := time.Now()
		if _, ok := w.snapshot().Status(proof); !ok {
			t.Fatal("the proof left the views")
		}
		status = append(status, time.Since(start))
		w.add(blocks[held+2*i+1])
		start = time.Now()
		_ = w.snapshot().Digest()
		ledger = append(ledger, time.Since(start))
	}
	slices.Sort(status)
	slices.Sort(ledger)
	s, l := status[rounds/2], ledger[rounds/2]
	t.Logf("snapshot after one entry, %d held: status %v, ledger digest %v (x%.1f)", held, s, l, ratio(l, s))
	if s*5 > l {
		t.Errorf("a status snapshot costs %v, more than a fifth of a ledger snapshot (%v)", s, l)
	}
	if blocks[1].Entry.Kind != protocol.KindProof {
		t.Fatalf("world's second entry is a %s, not a proof", blocks[1].Entry.Kind)
	}
}
