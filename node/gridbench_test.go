package node

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/grid/wasm"
)

// BenchmarkGridJobOverhead: RunGrid with one replica between two nodes on
// loopback TCP (publish the job, send it, run it in wazero, publish and
// check the result), against the same module run by the same runner
// in-process, in the same iterations: grid/wasm.Echo (the overhead in
// ms), and grid/wasm.Spin counting for about a second (the ratio).
func BenchmarkGridJobOverhead(b *testing.B) {
	ctx := context.Background()
	r, err := wasm.NewRunner(ctx, wasm.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true}
	requester, err := New(ctx, cfg, newVault(b))
	if err != nil {
		b.Fatal(err)
	}
	defer requester.Close()
	provider, err := New(ctx, cfg, newVault(b), WithGridRunner(WasmRunner(r)))
	if err != nil {
		b.Fatal(err)
	}
	defer provider.Close()
	connect(b, ctx, requester, provider)
	offer(b, ctx, provider)
	untilGrid(b, ctx, requester, "the offer", func(v *grid.View) bool { return len(v.Offers(time.Now().UnixMilli())) == 1 })
	// Calibrate Spin to about a second on this machine.
	const probe = 1 << 26
	start := time.Now()
	if _, err := r.Run(ctx, wasm.Spec{Job: []byte("probe"), Module: wasm.Spin(probe)}); err != nil {
		b.Fatal(err)
	}
	spins := uint32(min(float64(probe)*float64(time.Second)/float64(time.Since(start)), 1<<31-1))
	for _, m := range []struct {
		name   string
		module []byte
	}{{"echo", wasm.Echo}, {"spin-1s", wasm.Spin(spins)}} {
		b.Run(m.name, func(b *testing.B) {
			var subject, direct time.Duration
			for i := range b.N {
				in := []byte{byte(i), byte(i >> 8), byte(i >> 16)} // a new job each time
				start := time.Now()
				run, err := requester.RunGrid(ctx, GridRequest{Module: m.module, Input: in, MemoryMiB: 1, MaxSeconds: 10,
					Replicas: 1, MaxPrice: 10, Unit: unit, District: district})
				subject += time.Since(start)
				if err != nil || run.Status.State != grid.Verified {
					b.Fatalf("run: %v %v", run.Status.State, err)
				}
				start = time.Now()
				if _, err := r.Run(ctx, wasm.Spec{Job: run.Job.Bytes(), Module: m.module, Input: in, Timeout: 10 * time.Second}); err != nil {
					b.Fatal(err)
				}
				direct += time.Since(start)
			}
			n := float64(b.N)
			b.ReportMetric(subject.Seconds()*1e3/n, "ms/job")
			b.ReportMetric(direct.Seconds()*1e3/n, "ms/direct-run")
			b.ReportMetric((subject-direct).Seconds()*1e3/n, "ms-overhead")
			b.ReportMetric(subject.Seconds()/direct.Seconds(), "x-direct")
		})
	}
}

// BenchmarkGridDiscovery: among 48 bare DHT servers on loopback TCP, each
// connected to three others at random, a provider node connected to one
// of them announces its offer and a requester node connected to another
// looks it up; reports the time of each (per iteration, a new pair).
func BenchmarkGridDiscovery(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const servers = 48
	var hosts []peer.AddrInfo
	for range servers {
		h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
		if err != nil {
			b.Fatal(err)
		}
		defer h.Close()
		d, err := dht.New(h, dht.Config{Server: true, AllowPrivate: true})
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close()
		hosts = append(hosts, peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()})
		for range 3 {
			if len(hosts) > 1 {
				_ = h.Connect(ctx, hosts[rand.IntN(len(hosts)-1)])
			}
		}
	}
	cfg := Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true, AllowPrivateProviders: true}
	var announce, lookup time.Duration
	for range b.N {
		provider, err := New(ctx, cfg, newVault(b))
		if err != nil {
			b.Fatal(err)
		}
		requester, err := New(ctx, cfg, newVault(b))
		if err != nil {
			b.Fatal(err)
		}
		if err := provider.Connect(ctx, hosts[rand.IntN(servers)]); err != nil {
			b.Fatal(err)
		}
		if err := requester.Connect(ctx, hosts[rand.IntN(servers)]); err != nil {
			b.Fatal(err)
		}
		waitRouting(b, ctx, provider)
		waitRouting(b, ctx, requester)
		start := time.Now()
		if err := provider.OfferGrid(ctx, []string{"meso/north"}); err != nil {
			b.Fatal(err)
		}
		announce += time.Since(start)
		// One lookup's time, of the lookup that finds this provider
		// (earlier iterations' providers stay in the DHT's records).
		for {
			start = time.Now()
			found, err := requester.FindGridProviders(ctx, "meso/north", 20)
			took := time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			if slices.ContainsFunc(found, func(p peer.AddrInfo) bool { return p.ID == provider.ID() }) {
				lookup += took
				break
			}
			select {
			case <-ctx.Done():
				b.Fatal("the provider was never found")
			case <-time.After(50 * time.Millisecond):
			}
		}
		provider.Close()
		requester.Close()
	}
	b.ReportMetric(announce.Seconds()*1e3/float64(b.N), "ms/announce")
	b.ReportMetric(lookup.Seconds()*1e3/float64(b.N), "ms/lookup")
}
