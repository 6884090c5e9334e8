// Command compute-node is an OpenGrid provider in one file: it opens (or
// creates) a vault, starts a Mycel peer that runs WebAssembly jobs in
// wazero, publishes its offer, announces itself in the DHT and serves
// jobs until interrupted. Requesters find it with `mycel grid offers` and
// run jobs on it with `mycel grid run`; each verified result is paid by
// the requester's peer with a signed receipt.
//
//	go run ./examples/compute-node -dir ./provider -district meso-valley/north \
//	    -price 5 -unit credit -connect /ip4/192.168.1.20/tcp/4811/p2p/12D3KooW...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
)

// options are the command's flags.
type options struct {
	dir, district, unit, listen, connect string
	price                                uint64
	memoryMiB, seconds                   uint
}

func main() {
	var o options
	flag.StringVar(&o.dir, "dir", "compute-node", "directory of the provider's vault (created when missing)")
	flag.StringVar(&o.district, "district", "meso-valley/north", "district the provider belongs to and serves")
	flag.Uint64Var(&o.price, "price", 0, "price per job, integer minor units of -unit")
	flag.StringVar(&o.unit, "unit", "credit", "unit of the price")
	flag.UintVar(&o.memoryMiB, "memory", 256, "most memory a job may use, MiB")
	flag.UintVar(&o.seconds, "max-seconds", 30, "most seconds a job may run")
	flag.StringVar(&o.listen, "listen", "/ip4/0.0.0.0/tcp/0", "address to listen on")
	flag.StringVar(&o.connect, "connect", "", "a peer to connect to at start (full multiaddr)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ready := func(n *node.Node) {
		fmt.Printf("compute node %s serving jobs of %s at %d %s a job; Ctrl-C stops it\n", n.ID(), o.district, o.price, o.unit)
		for _, a := range n.AddrInfo().Addrs {
			fmt.Printf("  %s/p2p/%s\n", a, n.ID())
		}
	}
	if err := run(ctx, o, ready); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "compute-node:", err)
		os.Exit(1)
	}
}

// run serves jobs until ctx ends; ready is told once the offer stands.
func run(ctx context.Context, o options, ready func(*node.Node)) error {
	v, err := embed.OpenVault(filepath.Join(o.dir, "vault.db"), nil)
	if err != nil {
		return err
	}
	defer v.Close()
	// The peer runs jobs in wazero, its compiled modules kept in grid-cache.
	p, err := embed.Start(ctx, v, embed.Options{Districts: []string{o.district}, Listen: []string{o.listen}, Connect: connect(o.connect), GridCache: filepath.Join(o.dir, "grid-cache")})
	if err != nil {
		return err
	}
	defer p.Close()
	offer := &grid.Offer{Runtime: grid.Runtime, MemoryMiB: uint32(o.memoryMiB), MaxSeconds: uint32(o.seconds), Price: o.price, Unit: o.unit}
	if err := offer.Check(); err != nil {
		return fmt.Errorf("offer: %w", err)
	}
	body, err := protocol.EncodeBody(offer)
	if err != nil {
		return err
	}
	n := p.Node()
	if _, err := n.Publish(ctx, protocol.Entry{Kind: grid.KindOffer, District: o.district, Time: time.Now().UnixMilli(), Body: body}); err != nil {
		return fmt.Errorf("publish the offer: %w", err)
	}
	_ = n.OfferGrid(ctx, []string{o.district}) // with no DHT peer yet, the discovery rounds announce it
	ready(n)
	<-ctx.Done()
	return ctx.Err()
}

// connect is the -connect flag as a list: none when empty.
func connect(addr string) []string {
	if addr == "" {
		return nil
	}
	return []string{addr}
}
