package node

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// ArenaProtocol serves a district's arena entries to a peer that does not
// follow the district: one request, one page of entries (docs/PROTOCOL.md,
// the arena's scoped fetch).
const ArenaProtocol = "/mycel/arena/1"

// ArenaKinds are the kinds the arena stream serves.
var ArenaKinds = []string{arena.KindProblem, arena.KindSolution, arena.KindAccept}

// Limits of the arena stream.
const (
	maxArenaPage    = 256     // entries in one answer
	maxArenaRequest = 1 << 10 // bytes of a request
	maxArenaAnswer  = maxArenaPage*protocol.MaxEntrySize + 1024
	arenaTimeout    = 30 * time.Second
)

// arenaRequest asks for a page of a district's entries of one kind.
type arenaRequest struct {
	District string `cbor:"district"`
	Kind     string `cbor:"kind"`
	After    string `cbor:"after"` // the next of an earlier answer, or ""
	Limit    uint16 `cbor:"limit"`
}

// arenaAnswer is a page of entries, the cursor of the next, or why not.
type arenaAnswer struct {
	Blocks [][]byte `cbor:"blocks"`
	Next   string   `cbor:"next"`
	Error  string   `cbor:"error"`
}

// startArena serves ArenaProtocol.
func (n *Node) startArena() {
	n.host.SetStreamHandler(libp2pprotocol.ID(ArenaProtocol), func(s network.Stream) {
		done := make(chan struct{})
		if !n.spawn(func(context.Context) { defer close(done); n.answerArena(s) }) {
			s.Reset()
			return
		}
		<-done
	})
}

func (n *Node) answerArena(s network.Stream) {
	defer s.Close()
	_ = s.SetDeadline(time.Now().Add(arenaTimeout))
	var req arenaRequest
	if err := readMsg(bufio.NewReader(s), maxArenaRequest, &req); err != nil {
		s.Reset()
		return
	}
	_ = writeMsg(s, n.arenaPage(req))
}

// arenaPage answers a request from the vault: a page of the district's
// entries of an arena kind.
func (n *Node) arenaPage(req arenaRequest) arenaAnswer {
	switch {
	case !protocol.ValidDistrict(req.District):
		return arenaAnswer{Error: fmt.Sprintf("district %q is not a lowercase path", req.District)}
	case !slices.Contains(ArenaKinds, req.Kind):
		return arenaAnswer{Error: fmt.Sprintf("kind %q is not an arena kind (%v)", req.Kind, ArenaKinds)}
	}
	limit := int(req.Limit)
	if limit <= 0 || limit > maxArenaPage {
		limit = maxArenaPage
	}
	page, err := n.store.QueryPage(storage.Query{Kind: req.Kind, District: req.District}, req.After, limit)
	if err != nil {
		return arenaAnswer{Error: err.Error()}
	}
	out := arenaAnswer{Next: page.Next, Blocks: make([][]byte, len(page.Blocks))}
	for i, b := range page.Blocks {
		out.Blocks[i] = b.Data
	}
	return out
}

// announceArena announces the node under the arena key of each district
// it follows, so that peers outside them can browse their arenas.
func (n *Node) announceArena(ctx context.Context) error {
	var first error
	for _, d := range n.cfg.Districts {
		if err := n.dht.Provide(ctx, dht.ArenaKey(d)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// BrowseArena reads a district's arena entries of kind from peers that
// follow it, found in the DHT under mycel/1/arena/<district>: without
// following the district or joining its gossip. Every entry is opened
// and checked as gossip's are; browsing stores none of them (the
// connection it opens syncs as any connection does). It reads at most
// limit entries, from the first peer that answers.
func (n *Node) BrowseArena(ctx context.Context, district, kind string, limit int) ([]protocol.Block, error) {
	if !protocol.ValidDistrict(district) {
		return nil, fmt.Errorf("browse: district %q is not a lowercase path like meso-valley/north", district)
	}
	if n.dht.Size() == 0 {
		return nil, fmt.Errorf("browse %s: %w: connect to a peer first (mycel connect)", district, dht.ErrNoPeers)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	found, err := n.dht.FindProviders(ctx, dht.ArenaKey(district), 5)
	if err != nil {
		return nil, fmt.Errorf("browse %s: %w", district, err)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("browse %s: no peer that follows it was found in the DHT", district)
	}
	var last error
	for _, p := range found {
		blocks, err := n.browseFrom(ctx, p, district, kind, limit)
		if err == nil {
			return blocks, nil
		}
		last = err
	}
	return nil, fmt.Errorf("browse %s: %w", district, last)
}

// browseFrom reads pages from p until limit or the end.
func (n *Node) browseFrom(ctx context.Context, p peer.AddrInfo, district, kind string, limit int) ([]protocol.Block, error) {
	if err := n.host.Connect(ctx, p); err != nil {
		return nil, fmt.Errorf("connect %s: %w", p.ID, err)
	}
	var out []protocol.Block
	after := ""
	for len(out) < limit {
		ans, err := n.askArena(ctx, p.ID, arenaRequest{District: district, Kind: kind, After: after, Limit: uint16(min(limit-len(out), maxArenaPage))})
		if err != nil {
			return nil, err
		}
		for _, data := range ans.Blocks {
			b, err := protocol.Open(data)
			if err != nil || b.Entry.District != district || b.Entry.Kind != kind || n.check(b).Outcome != protocol.Accept {
				return nil, fmt.Errorf("peer %s sent an entry that does not hold", p.ID)
			}
			out = append(out, b)
		}
		if after = ans.Next; after == "" || len(ans.Blocks) == 0 {
			break
		}
	}
	return out, nil
}

func (n *Node) askArena(ctx context.Context, p peer.ID, req arenaRequest) (arenaAnswer, error) {
	s, err := n.host.NewStream(ctx, p, libp2pprotocol.ID(ArenaProtocol))
	if err != nil {
		return arenaAnswer{}, fmt.Errorf("open an arena stream to %s: %w", p, err)
	}
	defer s.Close()
	_ = s.SetDeadline(time.Now().Add(arenaTimeout))
	if err := writeMsg(s, req); err != nil {
		s.Reset()
		return arenaAnswer{}, err
	}
	_ = s.CloseWrite()
	var ans arenaAnswer
	if err := readMsg(bufio.NewReader(s), maxArenaAnswer, &ans); err != nil {
		return arenaAnswer{}, fmt.Errorf("arena answer from %s: %w", p, err)
	}
	if ans.Error != "" {
		return arenaAnswer{}, fmt.Errorf("peer %s: %s", p, ans.Error)
	}
	if len(ans.Blocks) > int(req.Limit) {
		return arenaAnswer{}, fmt.Errorf("peer %s sent %d entries for a page of %d", p, len(ans.Blocks), req.Limit)
	}
	return ans, nil
}
