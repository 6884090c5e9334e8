package replicate

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
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
