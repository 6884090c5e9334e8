package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/grid/wasm"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/vault"
)

// TestComputeNode runs the provider on loopback, connects a requester
// peer to it and runs a one-replica job: the output comes back verified.
func TestComputeNode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	started := make(chan *node.Node, 1)
	done := make(chan error, 1)
	o := options{dir: t.TempDir(), district: "meso-valley/north", price: 5, unit: "credit", memoryMiB: 64, seconds: 10, listen: "/ip4/127.0.0.1/tcp/0"}
	go func() { done <- run(ctx, o, func(n *node.Node) { started <- n }) }()
	var provider *node.Node
	select {
	case provider = <-started:
	case err := <-done:
		t.Fatalf("the provider stopped: %v", err)
	}
	v, err := vault.Create(filepath.Join(t.TempDir(), "requester.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	requester, err := node.New(ctx, node.Config{Listen: []ma.Multiaddr{ma.StringCast("/ip4/127.0.0.1/tcp/0")}, Districts: []string{o.district}, NoPortMap: true}, v)
	if err != nil {
		t.Fatal(err)
	}
	defer requester.Close()
	ev, stop := requester.Subscribe(1024)
	defer stop()
	if err := requester.Connect(ctx, provider.AddrInfo()); err != nil {
		t.Fatal(err)
	}
	for { // the offer arrives by sync or gossip
		offers := 0
		requester.ReadGrid(func(v *grid.View) { offers = len(v.Offers(time.Now().UnixMilli())) })
		if offers == 1 {
			break
		}
		select {
		case <-ev:
		case <-ctx.Done():
			t.Fatal("the requester never held the provider's offer")
		}
	}
	run, err := requester.RunGrid(ctx, node.GridRequest{Module: wasm.Echo, Input: []byte("42\n"), MemoryMiB: 1, MaxSeconds: 5,
		Replicas: 1, MaxPrice: 5, Unit: "credit", District: o.district})
	if err != nil || run.Status.State != grid.Verified || string(run.Output) != "42\n" {
		t.Fatalf("job: %v, %q, %v", run.Status.State, run.Output, err)
	}
	cancel()
	<-done
}
