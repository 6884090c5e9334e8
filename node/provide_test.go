package node

import (
	"testing"
	"time"

	"github.com/mesocosm/mycel/dht"
)

// TestProvideAuthorRetries: a node that publishes before it has any DHT
// peer still announces its author key once it has one.
func TestProvideAuthorRetries(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	// On loopback the DHT must be told to keep private addresses, or a
	// node has no address to announce.
	cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true, AllowPrivateProviders: true}
	a, err := New(ctx, cfg, newVault(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.Publish(ctx, attest(t, "alone")); err != nil {
		t.Logf("publish with no peers: %v", err) // stored; gossip had no one
	}
	cfg.DHTServer = true
	b, err := New(ctx, cfg, newVault(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	connect(t, ctx, a, b)
	// The routing table takes B after identify, in the DHT's background;
	// it raises no event, so ask until it does.
	for a.dht.Size() == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("B never entered A's routing table")
		case <-time.After(50 * time.Millisecond):
		}
	}
	if _, err := a.Publish(ctx, attest(t, "connected")); err != nil {
		t.Fatal(err)
	}
	k := dht.AuthorKey(a.ID())
	for {
		found, err := b.dht.FindProviders(ctx, k, 1)
		if err != nil {
			t.Fatalf("B never learned that A provides its author key: %v", err)
		}
		if len(found) == 1 && found[0].ID == a.ID() {
			return
		}
		select { // the announcement runs in A's background; ask again
		case <-ctx.Done():
			t.Fatal("B never learned that A provides its author key")
		case <-time.After(100 * time.Millisecond):
		}
	}
}
