// Command farm-sensor turns a stream of field readings into MIP-AGR@1
// proofs. A seeded generator stands in for the sensors: soil moisture
// and yield from each plot. Every -every it takes one batch of readings,
// adds it to the vault as evidence (the readings stay there) and
// publishes a proof of the batch's mean yield against the baseline;
// after -batches batches it exits.
//
//	go run ./examples/farm-sensor -dir ./farm -seed 7 -batches 4 -every 1m \
//	    -connect /ip4/192.168.1.20/tcp/4811/p2p/12D3KooW...
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
)

// Bounds of the flags: a batch is one evidence item of a few KiB.
const (
	maxBatches = 10000
	maxPlots   = 1000
)

// options are the command's flags.
type options struct {
	dir, district, listen, connect string
	seed                           uint64
	batches, plots                 int
	every                          time.Duration
	baselineKgHa                   int
}

func main() {
	var o options
	flag.StringVar(&o.dir, "dir", "farm-sensor", "directory of the farm's vault (created when missing)")
	flag.StringVar(&o.district, "district", "meso-valley/north", "district the proofs are published in")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the simulated sensors")
	flag.IntVar(&o.batches, "batches", 3, "batches to publish before exiting")
	flag.IntVar(&o.plots, "plots", 6, "plots read in each batch")
	flag.DurationVar(&o.every, "every", time.Minute, "time between batches")
	flag.IntVar(&o.baselineKgHa, "baseline", 1800, "baseline maize yield, kg per hectare")
	flag.StringVar(&o.listen, "listen", "/ip4/0.0.0.0/tcp/0", "address to listen on")
	flag.StringVar(&o.connect, "connect", "", "a peer to connect to at start (full multiaddr)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	each := func(i int, p api.Published) { fmt.Printf("batch %d: proof %s\n", i+1, p.CID) }
	if err := run(ctx, o, each); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "farm-sensor:", err)
		os.Exit(1)
	}
}

// run publishes o.batches proofs, one each o.every, telling each.
func run(ctx context.Context, o options, each func(int, api.Published)) error {
	if o.batches < 1 || o.batches > maxBatches || o.plots < 1 || o.plots > maxPlots || o.every <= 0 {
		return fmt.Errorf("want 1 to %d batches of 1 to %d plots, a positive -every", maxBatches, maxPlots)
	}
	v, err := embed.OpenVault(filepath.Join(o.dir, "vault.db"), nil)
	if err != nil {
		return err
	}
	defer v.Close()
	p, err := embed.Start(ctx, v, embed.Options{Districts: []string{o.district}, Listen: []string{o.listen}, Connect: connect(o.connect), LAN: true})
	if err != nil {
		return err
	}
	defer p.Close()
	s := newSensors(o.seed, o.plots, o.baselineKgHa)
	tick := time.NewTicker(o.every)
	defer tick.Stop()
	for i := range o.batches {
		if i > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		pub, err := publish(ctx, p, o, s.batch())
		if err != nil {
			return fmt.Errorf("batch %d: %w", i+1, err)
		}
		each(i, pub)
	}
	// Before the peer stops: one sync round with each peer connected, so
	// that proofs gossip did not deliver leave with it.
	return p.SyncAll(ctx)
}

// publish adds a batch as evidence and publishes its proof.
func publish(ctx context.Context, p *embed.Peer, o options, b batch) (api.Published, error) {
	ev, err := p.AddEvidence(ctx, b.csv(), fmt.Sprintf("sensors-%d.csv", b.n))
	if err != nil {
		return api.Published{}, err
	}
	claim, err := json.Marshal(b.claim(o.baselineKgHa))
	if err != nil {
		return api.Published{}, err
	}
	return p.Publish(ctx, api.PublishRequest{MIP: "MIP-AGR@1", Claim: claim, Evidence: []string{ev.ID}, District: o.district})
}

// sensors is the seeded stand-in for the field's sensors.
type sensors struct {
	rng      *rand.Rand
	plots    int
	baseline int
	n        int // batches read
}

func newSensors(seed uint64, plots, baseline int) *sensors {
	return &sensors{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), plots: plots, baseline: baseline}
}

// reading is one plot's: soil moisture in basis points of volume, yield
// in kg per hectare.
type reading struct{ moistureBP, yieldKgHa int }

// batch is one round of readings.
type batch struct {
	n        int
	readings []reading
}

// batch reads every plot once: wetter soil, higher yield, with noise.
func (s *sensors) batch() batch {
	s.n++
	b := batch{n: s.n}
	for range s.plots {
		m := 1500 + s.rng.IntN(2500) // 15% to 40% volumetric water
		y := s.baseline + (m-1500)/4 + s.rng.IntN(300)
		b.readings = append(b.readings, reading{moistureBP: m, yieldKgHa: y})
	}
	return b
}

func (b batch) csv() []byte {
	var w strings.Builder
	w.WriteString("plot,soil_moisture_bp,yield_kg_ha\n")
	for i, r := range b.readings {
		fmt.Fprintf(&w, "%d,%d,%d\n", i+1, r.moistureBP, r.yieldKgHa)
	}
	return []byte(w.String())
}

// claim is the batch's MIP-AGR@1 claim: mean yield against the baseline.
func (b batch) claim(baseline int) map[string]any {
	sum := 0
	for _, r := range b.readings {
		sum += r.yieldKgHa
	}
	return map[string]any{
		"crop": "maize", "practice": "drip_irrigation", "area_m2": 2500 * len(b.readings),
		"year": time.Now().Year(), "season": "long_rains", "baseline_yield_kg_ha": baseline,
		"outcome_yield_kg_ha": sum / len(b.readings), "measurement": "crop_cut", "plots": len(b.readings),
	}
}

// connect is the -connect flag as a list: none when empty.
func connect(addr string) []string {
	if addr == "" {
		return nil
	}
	return []string{addr}
}
