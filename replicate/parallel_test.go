package replicate

import (
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// TestSyncOpensOnEveryCore: the blocks of one message are opened and
// checked on several goroutines at once. The receiver's check waits, for
// each of the first two blocks, until another check is running beside it.
func TestSyncOpensOnEveryCore(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs two cores")
	}
	a, b := newPeer(t), newPeer(t)
	publish(t, a.v, vaulttest.NewAuthor(t), 40)
	var mu sync.Mutex
	running, waits := 0, 0
	both := make(chan struct{})
	var once sync.Once
	concurrent := true
	b.svc.cfg.Check = func(protocol.Block) protocol.Verdict {
		mu.Lock()
		running++
		if running == 2 {
			once.Do(func() { close(both) })
		}
		wait := waits < 2
		waits++
		mu.Unlock()
		if wait {
			select {
			case <-both:
			case <-time.After(5 * time.Second):
				mu.Lock()
				concurrent = false
				mu.Unlock()
			}
		}
		mu.Lock()
		running--
		mu.Unlock()
		return protocol.Accepted
	}
	connect(t, b.h, a.h)
	if st := syncT(t, b, a); st.New != 40 {
		t.Fatalf("sync stats %+v, want 40 new", st)
	}
	mu.Lock()
	defer mu.Unlock()
	if !concurrent {
		t.Error("no two checks of one message ran at once")
	}
}

// countingStore counts the transactions a service's sessions put.
type countingStore struct {
	*vault.Bolt
	puts atomic.Int32
}

func (s *countingStore) Put(blocks ...protocol.Block) ([]storage.Result, error) {
	s.puts.Add(1)
	return s.Bolt.Put(blocks...)
}

// TestSyncStoresInLargeTransactions: a sync of 1,280 entries (20
// messages of 64) stores them in two transactions of up to 1,024 blocks,
// not one per message.
func TestSyncStoresInLargeTransactions(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	publish(t, a.v, vaulttest.NewAuthor(t), 1280)
	store := &countingStore{Bolt: b.v}
	b.svc.Close()
	b.svc = New(b.h, store, Config{})
	connect(t, b.h, a.h)
	if st := syncT(t, b, a); st.New != 1280 {
		t.Fatalf("sync stats %+v, want 1280 new", st)
	}
	if n := store.puts.Load(); n != 2 {
		t.Errorf("sync stored 1,280 entries in %d transactions, want 2", n)
	}
}

// BenchmarkSyncCatchUp: a fresh peer syncs 10,000 entries by 10 authors
// from one that holds them, over loopback TCP, against the same entries
// put into a fresh vault directly (Put in batches of 1,024: the store's
// floor) in the same run.
func BenchmarkSyncCatchUp(b *testing.B) {
	src := newPeer(b)
	for range 10 {
		publish(b, src.v, vaulttest.NewAuthor(b), 1000)
	}
	all, err := src.v.Query(vault.Query{})
	if err != nil {
		b.Fatal(err)
	}
	var subject, floor time.Duration
	for range b.N {
		dst := newPeer(b)
		connect(b, dst.h, src.h)
		start := time.Now()
		if st := syncT(b, dst, src); st.New != len(all) {
			b.Fatalf("sync stats %+v", st)
		}
		subject += time.Since(start)
		v := newVault(b, filepath.Join(b.TempDir(), "floor.db"))
		start = time.Now()
		for i := 0; i < len(all); i += 1024 {
			if _, err := v.Put(all[i:min(i+1024, len(all))]...); err != nil {
				b.Fatal(err)
			}
		}
		floor += time.Since(start)
	}
	n := float64(len(all) * b.N)
	b.ReportMetric(n/subject.Seconds(), "entries/s")
	b.ReportMetric(n/floor.Seconds(), "put-entries/s")
	b.ReportMetric(floor.Seconds()/subject.Seconds(), "x-put")
}
