// Command travelling-laptop carries entries between districts that never
// meet. It follows two districts and visits their peers in turn, as a
// laptop taken from one village to the next would: at each visit it
// connects, runs one sync round (it brings the entries it carries from
// the other district and takes the ones this one has), and leaves. After
// -rounds rounds of visits it exits.
//
//	go run ./examples/travelling-laptop -dir ./laptop \
//	    -districts meso-valley/north,river-delta/south -rounds 1 \
//	    -visit /ip4/10.0.0.5/tcp/4001/p2p/12D3KooWA... -visit /ip4/10.0.1.7/tcp/4001/p2p/12D3KooWB...
//
// Where no network reaches at all, bundles carry the same entries on a
// USB stick: mycel bundle export and import (docs/CLI.md, "bundle").
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/node"
)

// maxRounds bounds -rounds.
const maxRounds = 1000

// options are the command's flags.
type options struct {
	dir       string
	districts []string
	visits    []string
	rounds    int
}

// visits collects repeated -visit flags.
type visits []string

func (v *visits) String() string     { return strings.Join(*v, ",") }
func (v *visits) Set(s string) error { *v = append(*v, s); return nil }

func main() {
	var o options
	var districts string
	var vs visits
	flag.StringVar(&o.dir, "dir", "laptop", "directory of the laptop's vault (created when missing)")
	flag.StringVar(&districts, "districts", "meso-valley/north,river-delta/south", "the two districts followed, comma-separated")
	flag.Var(&vs, "visit", "a peer to visit, full multiaddr (repeatable; visited in order each round)")
	flag.IntVar(&o.rounds, "rounds", 1, "rounds of visits before exiting")
	flag.Parse()
	o.districts, o.visits = strings.Split(districts, ","), vs
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	say := func(v visit) {
		fmt.Printf("visited %s: brought %d entries, took %d new\n", v.peer, v.stats.Sent, v.stats.New)
	}
	if err := run(ctx, o, say); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "travelling-laptop:", err)
		os.Exit(1)
	}
}

// visit is what one visit exchanged.
type visit struct {
	peer  string
	stats node.SyncStats
}

// run makes o.rounds rounds of visits, telling each.
func run(ctx context.Context, o options, each func(visit)) error {
	if len(o.districts) != 2 || len(o.visits) == 0 || o.rounds < 1 || o.rounds > maxRounds {
		return fmt.Errorf("want two districts, a peer to -visit and 1 to %d rounds", maxRounds)
	}
	v, err := embed.OpenVault(filepath.Join(o.dir, "vault.db"), nil)
	if err != nil {
		return err
	}
	defer v.Close()
	// A laptop listens nowhere: it dials the peers it visits.
	p, err := embed.Start(ctx, v, embed.Options{Districts: o.districts, LAN: true})
	if err != nil {
		return err
	}
	defer p.Close()
	for range o.rounds {
		for _, addr := range o.visits {
			st, err := call(ctx, p, addr)
			if err != nil {
				return fmt.Errorf("visit %s: %w", addr, err)
			}
			each(st)
		}
	}
	return nil
}

// call connects to addr, syncs once and leaves.
func call(ctx context.Context, p *embed.Peer, addr string) (visit, error) {
	pr, err := p.Connect(ctx, addr)
	if err != nil {
		return visit{}, err
	}
	id, err := peer.Decode(pr.PeerID)
	if err != nil {
		return visit{}, err
	}
	// The round connecting started may have begun before the other side
	// listed what it holds: Sync runs one that begins now.
	st, err := p.Sync(ctx, id)
	if err != nil {
		return visit{}, err
	}
	// Forget closes the connection and drops the peer from those redialled.
	if err := p.Node().Forget(id); err != nil && !errors.Is(err, node.ErrNotRemembered) {
		return visit{}, err
	}
	return visit{peer: pr.PeerID, stats: st}, nil
}
