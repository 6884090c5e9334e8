package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/storage/mem"
)

const district = "sim"

// world is one run: its peers, the topology's edges and the nemesis state.
type world struct {
	t     *testing.T
	seed  uint64
	rng   *rand.Rand
	mn    mocknet.Mocknet
	cfg   node.Config
	peers []*simPeer
	edges [][2]int
	// side is the partition: peers with different sides are cut apart
	// (nil: no partition).
	side     []bool
	linked   map[[2]int]bool
	latency  map[[2]int]time.Duration
	proofs   []cid.Cid
	acked    map[cid.Cid]peer.ID // entries whose Publish returned
	restored map[peer.ID]bool    // authors restored from an old copy
	attests  map[string]bool     // verifier and proof attested
	trace    []string            // what happened, for a failing seed
	start    time.Time
	faults   faults     // per-message gossip faults (nemesis_test.go)
	lossy    bool       // the nemesis turns message faults on and off
	mu       sync.Mutex // guards trace: node events are logged from their goroutines
}

// simPeer is one peer: identity, store, and the node while it runs.
type simPeer struct {
	i     int
	key   crypto.PrivKey
	id    peer.ID
	store *mem.Store
	node  *node.Node
	skew  time.Duration // added to entry times: a wrong clock
	snap  *mem.Store    // an old copy of the store, to restore
	role  string
}

func newWorld(t *testing.T, seed uint64, n int, cfg node.Config) *world {
	w := &world{
		t: t, seed: seed, rng: New(seed), mn: mocknet.New(), cfg: cfg,
		linked: map[[2]int]bool{}, latency: map[[2]int]time.Duration{},
		acked: map[cid.Cid]peer.ID{}, restored: map[peer.ID]bool{}, attests: map[string]bool{}, start: time.Now(),
	}
	w.faults.rng = New(seed ^ 0xfa17)
	t.Cleanup(func() { w.mn.Close() })
	for i := range n {
		w.peers = append(w.peers, w.newPeer(i))
	}
	w.topology()
	return w
}

func (w *world) newPeer(i int) *simPeer {
	key, _, err := crypto.GenerateEd25519Key(Reader{w.rng})
	if err != nil {
		w.t.Fatal(err)
	}
	addr := ma.StringCast(fmt.Sprintf("/ip4/10.%d.%d.1/tcp/4001", i/250, i%250))
	h, err := w.mn.AddPeer(key, addr)
	if err != nil {
		w.t.Fatal(err)
	}
	p := &simPeer{i: i, key: key, id: h.ID(), store: mem.New(key), role: roleOf(i)}
	if w.rng.IntN(4) == 0 { // a quarter of the clocks are wrong
		p.skew = time.Duration(w.rng.Int64N(int64(time.Hour))) - 30*time.Minute
	}
	w.startNode(p)
	return p
}

// topology links a random tree plus n/2 random extra edges, each with a
// random latency (messages on different paths overtake each other).
func (w *world) topology() {
	n := len(w.peers)
	seen := map[[2]int]bool{}
	add := func(a, b int) {
		e := [2]int{min(a, b), max(a, b)}
		if a == b || seen[e] {
			return
		}
		seen[e] = true
		w.edges = append(w.edges, e)
		w.latency[e] = time.Duration(w.rng.IntN(50)) * time.Millisecond
	}
	for i := 1; i < n; i++ {
		add(i, w.rng.IntN(i))
	}
	for range n / 2 {
		add(w.rng.IntN(n), w.rng.IntN(n))
	}
	w.reconcile()
}

func (w *world) logf(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.trace = append(w.trace, fmt.Sprintf("%8s ", time.Since(w.start).Round(time.Millisecond))+fmt.Sprintf(format, args...))
}

func (w *world) startNode(p *simPeer) {
	opts := []node.Option{node.WithHost(w.mn.Host(p.id)), node.WithGossipFaults(w.faults.fault), node.WithRedial()}
	if *flagSeed != 0 {
		opts = append(opts, node.WithPubSub(pubsub.WithRawTracer(meshTracer{w, p.i})))
	}
	n, err := node.New(context.Background(), w.cfg, p.store, opts...)
	if err != nil {
		w.t.Fatalf("seed %d: start peer %d: %v", w.seed, p.i, err)
	}
	p.node = n
	if *flagSeed != 0 {
		w.watch(p)
	}
}

func (w *world) stopNode(p *simPeer) {
	if p.node == nil {
		return
	}
	if err := p.node.Close(); err != nil {
		w.t.Logf("seed %d: close peer %d: %v", w.seed, p.i, err)
	}
	p.node = nil
}

// wanted reports whether edge e should carry a link now: both ends run
// and no partition separates them.
func (w *world) wanted(e [2]int) bool {
	a, b := w.peers[e[0]], w.peers[e[1]]
	if a.node == nil || b.node == nil {
		return false
	}
	return w.side == nil || w.side[e[0]] == w.side[e[1]]
}

// reconcile links and connects every wanted edge not linked yet, and
// cuts every other. A linked edge whose connection was reset (churn) is
// left to the nodes' redial (node.WithRedial), as a real mesh's would be.
func (w *world) reconcile() {
	for _, e := range w.edges {
		a, b := w.peers[e[0]].id, w.peers[e[1]].id
		switch want := w.wanted(e); {
		case want && !w.linked[e]:
			l, err := w.mn.LinkPeers(a, b)
			if err != nil {
				w.t.Fatal(err)
			}
			l.SetOptions(mocknet.LinkOptions{Latency: w.latency[e]})
			w.linked[e] = true
			w.connect(e)
		case want:
			// Linked but maybe churned: the nodes' own redial heals it.
		case !want && w.linked[e]:
			_ = w.mn.DisconnectPeers(a, b)
			_ = w.mn.UnlinkPeers(a, b)
			delete(w.linked, e)
		}
	}
}

// connect opens a connection along e unless one is open.
func (w *world) connect(e [2]int) {
	a, b := w.peers[e[0]], w.peers[e[1]]
	if w.mn.Net(a.id).Connectedness(b.id) == network.Connected {
		return
	}
	if _, err := w.mn.ConnectPeers(a.id, b.id); err != nil {
		w.logf("connect %d-%d: %v", e[0], e[1], err)
	}
}

func (w *world) close() {
	for _, p := range w.peers {
		w.stopNode(p)
	}
}

// diameter is the topology's longest shortest path, in hops.
func (w *world) diameter() int {
	adj := make([][]int, len(w.peers))
	for _, e := range w.edges {
		adj[e[0]] = append(adj[e[0]], e[1])
		adj[e[1]] = append(adj[e[1]], e[0])
	}
	d := 0
	for s := range w.peers {
		dist := map[int]int{s: 0}
		queue := []int{s}
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			for _, v := range adj[u] {
				if _, ok := dist[v]; !ok {
					dist[v] = dist[u] + 1
					d = max(d, dist[v])
					queue = append(queue, v)
				}
			}
		}
	}
	return d
}
