package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/sys/unix"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	mycel "github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/replicate"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// The hostile-peer suite against a real daemon: the red team's attacks,
// all at once, from many identities. The daemon must stay alive and under
// its memory cap, answer honest publications within twice its own
// baseline latency, and store nothing that cannot be valid.
//
// The bounded form runs in the test suite; MYCEL_HOSTILE_LONG=1 runs the
// attacks at the sizes of the red team's report (.ci/hostile).

// rssCap is the documented memory cap of a laptop daemon under attack
// (docs/PERFORMANCE.md, "Under attack").
const rssCap = 512 << 20

// fdLimit is the daemon's descriptor limit in the test, as on a small
// board: idle API connections must not exhaust it.
const fdLimit = 1024

type hostileScale struct {
	authors            int // authors seeded in the daemon's vault, 2 entries each
	messages, copies   int // the amplification turn
	idents, halfStream int // identities, half-sent streams per identity
	apiConns           int
	forkers            int
	flooders, length   int
}

func scaleOf() hostileScale {
	if os.Getenv("MYCEL_HOSTILE_LONG") != "" {
		return hostileScale{authors: 2000, messages: 64, copies: 1024, idents: 40, halfStream: 26,
			apiConns: 5000, forkers: 2000, flooders: 100, length: 100}
	}
	return hostileScale{authors: 300, messages: 64, copies: 1024, idents: 24, halfStream: 24,
		apiConns: 1500, forkers: 100, flooders: 20, length: 20}
}

func TestHostileDaemon(t *testing.T) {
	e := newE2E(t)
	sc := scaleOf()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	target := e.home("target")
	e.mycel(target, "init", "--district", outcomeDistrict)
	seed(t, filepath.Join(target, "vault.db"), sc.authors)
	d := e.start(target)
	limitFDs(t, d.cmd.Process.Pid)
	info := e.peerInfo(target)
	client := e.client(target)

	base := publishLatency(t, ctx, client, 7)
	t.Logf("baseline publish latency %v", base)

	// Sync amplification: one turn of duplicate root summaries.
	amp := newAttacker(t, ctx, info)
	in, out := amp.amplify(t, ctx, info.ID, sc.messages, sc.copies, 256<<20, 20*time.Second)
	t.Logf("amplification: %d bytes in, %d out (x%.2f)", in, out, float64(out)/float64(in))
	if out > 4*in {
		t.Errorf("amplification: %d bytes out for %d in (x%.1f), want at most x4", out, in, float64(out)/float64(in))
	}

	// Half-sent messages on sync and fetch streams, from many identities.
	var held []network.Stream
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range sc.idents {
		a := newAttacker(t, ctx, info)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range sc.halfStream {
				proto := replicate.SyncProtocol
				if i%2 == 1 {
					proto = replicate.FetchProtocol
				}
				st, err := a.halfSend(ctx, info.ID, proto)
				if err != nil {
					continue // refused by the target's limits
				}
				mu.Lock()
				held = append(held, st)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("half-sent streams opened: %d", len(held))
	defer func() {
		for _, st := range held {
			st.Reset()
		}
	}()

	// Idle API connections without a token.
	conns := holdAPI(t, e.apiAddr(target), sc.apiConns, 5*time.Second)
	t.Logf("API connections without a token still open after 5 s: %d of %d", len(conns), sc.apiConns)
	if len(conns) > 128 {
		t.Errorf("%d API connections without a token held open, want at most the cap of 128", len(conns))
	}
	t.Logf("daemon peak RSS after the stream and API attacks: %d MiB", peakRSS(t, d.cmd.Process.Pid)>>20)

	// A far-future entry by gossip, then forks and fresh authors by sync.
	g := gossiper(t, ctx, newAttacker(t, ctx, info).h, info.ID)
	future := attestBy(t, newKey(t), 1, mycel.Block{}, "from year 11476", time.UnixMilli(300_000_000_000_000))
	if err := g.Publish(ctx, outcomeDistrict, future); err != nil {
		t.Fatal(err)
	}
	flood := floodVault(t, e.dir, sc.forkers, sc.flooders, sc.length)
	st := pushAll(t, ctx, newAttacker(t, ctx, info).h, flood, info.ID)
	t.Logf("hostile sync: sent %d blocks, %d bytes", st.Sent, st.BytesSent)
	t.Logf("daemon peak RSS after the floods: %d MiB", peakRSS(t, d.cmd.Process.Pid)>>20)
	led, err := client.Ledger(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the daemon flags %d of the %d forking keys", len(led.Flagged), sc.forkers)

	// Honest work while the attacks are held.
	under := publishLatency(t, ctx, client, 11)
	t.Logf("publish latency under attack %v (baseline %v, x%.2f)", under, base, float64(under)/float64(base))
	if under > 2*base {
		// The baseline was taken on a smaller vault, and other test
		// packages load the machine unevenly: take it again with the
		// attacks let go, and compare against the larger of the two.
		for _, st := range held {
			st.Reset()
		}
		for _, c := range conns {
			c.Close()
		}
		after := publishLatency(t, ctx, client, 11)
		t.Logf("publish latency with the attacks let go %v", after)
		if ref := max(base, after); under > 2*ref {
			t.Errorf("publish latency under attack %v, more than twice the latency without attacks %v", under, ref)
		}
	}
	for _, path := range []string{"log", "proofs"} {
		if _, _, code := e.try(target, path, "--json"); code != 0 {
			t.Errorf("mycel %s fails after the attacks (exit %d)", path, code)
		}
	}

	// Nothing that cannot be valid was stored, and the daemon wrote no
	// fraud entry on the word of throwaway keys.
	if _, err := client.Block(ctx, future.CID); err == nil {
		t.Error("the far-future entry was stored")
	}
	self, err := client.Log(ctx, api.LogQuery{Author: d.id(t, e)})
	if err != nil {
		t.Fatal(err)
	}
	if n := countKind(self.Entries, "fraud"); n > 0 {
		t.Errorf("the daemon wrote %d fraud entries about throwaway keys", n)
	}

	hwm := peakRSS(t, d.cmd.Process.Pid)
	t.Logf("daemon peak RSS %d MiB (cap %d MiB)", hwm>>20, rssCap>>20)
	if hwm > rssCap {
		t.Errorf("daemon peak RSS %d MiB, cap %d MiB", hwm>>20, rssCap>>20)
	}
	if _, err := client.Status(ctx); err != nil {
		t.Fatalf("the daemon no longer answers: %v", err)
	}
}

// seed fills a home's vault with authors of two entries each, so that
// the daemon has a vector worth amplifying.
func seed(t *testing.T, path string, authors int) {
	t.Helper()
	v, err := vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	for range authors {
		a := vaulttest.NewAuthor(t)
		if _, err := v.Put(a.Next(t, "note", outcomeDistrict, nil), a.Next(t, "note", outcomeDistrict, nil)); err != nil {
			t.Fatal(err)
		}
	}
}

// limitFDs sets the daemon's descriptor limit, as a small board has it.
func limitFDs(t *testing.T, pid int) {
	t.Helper()
	lim := unix.Rlimit{Cur: fdLimit, Max: fdLimit}
	if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, &lim, nil); err != nil {
		t.Fatalf("prlimit: %v", err)
	}
}

// peakRSS reads a process's high-water resident set (VmHWM).
func peakRSS(t *testing.T, pid int) int64 { return procKB(t, pid, "VmHWM:") << 10 }

// procKB reads a field in kB of a process's /proc status ("VmRSS:").
func procKB(t *testing.T, pid int, field string) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatalf("no %s in /proc status", field)
	return 0
}

// publishLatency publishes n proofs through the API and returns the
// median time one took.
func publishLatency(t *testing.T, ctx context.Context, c *api.Client, n int) time.Duration {
	t.Helper()
	var took []time.Duration
	for range n {
		start := time.Now()
		if _, err := c.Publish(ctx, api.PublishRequest{MIP: "MIP-HLT@1", Claim: json.RawMessage(claim), NoEvidence: true}); err != nil {
			t.Fatalf("honest publish: %v", err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	return took[n/2]
}

func countKind(log []api.LogEntry, kind string) (n int) {
	for _, l := range log {
		if l.Kind == kind {
			n++
		}
	}
	return n
}

// peerInfo is the daemon's peer ID and loopback address.
func (e *e2e) peerInfo(home string) peer.AddrInfo {
	e.t.Helper()
	info, err := peer.AddrInfoFromString(e.addr(home))
	if err != nil {
		e.t.Fatal(err)
	}
	return *info
}

func (e *e2e) apiAddr(dir string) string {
	e.t.Helper()
	data, err := os.ReadFile(home.Home{Dir: dir}.API())
	if err != nil {
		e.t.Fatal(err)
	}
	return strings.TrimSpace(string(data))
}

func (e *e2e) client(dir string) *api.Client {
	e.t.Helper()
	tok, err := home.ReadToken(home.Home{Dir: dir}.Token())
	if err != nil {
		e.t.Fatal(err)
	}
	return api.NewClient(e.apiAddr(dir), tok)
}

func (d *daemon) id(t *testing.T, e *e2e) string {
	t.Helper()
	var id api.Identity
	if err := json.Unmarshal([]byte(e.mycel(d.home, "id", "--json")), &id); err != nil {
		t.Fatal(err)
	}
	return id.PeerID
}
