package node

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// headProtocol asks a peer for the head of one author's log: the node asks
// it about its own author before its first write (self.go).
const headProtocol = "/mycel/head/1"

// Bounds of the head protocol.
const (
	headCIDs      = 64              // CIDs of the log in one answer
	headReqMax    = 256             // bytes of a request
	headAnsMax    = 8 << 10         // bytes of an answer
	headDeadline  = 5 * time.Second // a whole exchange, either side
	headAnswering = 4               // requests answered at once, in all
)

// headReq asks for author A's head and the CIDs of its log from seq F.
// R is the asker's run nonce when A is the asker itself.
type headReq struct {
	A []byte `cbor:"a"`
	F uint64 `cbor:"f"`
	R []byte `cbor:"r,omitempty"`
}

// headAns is the head seq S (0: none joined), the CIDs of the joined log
// from F (at most headCIDs) and T: another open connection of the asker's
// peer ID presented a different run nonce.
type headAns struct {
	S uint64   `cbor:"s"`
	C [][]byte `cbor:"c"`
	T bool     `cbor:"t,omitempty"`
}

// runs remembers, per peer and connection, the run nonce that connection
// presented, so a peer can tell an asker that a second process holds its
// identity. Entries of closed connections are dropped when the peer asks.
type runs struct {
	mu   sync.Mutex
	by   map[peer.ID]map[string]string
	busy int
}

func (r *runs) begin() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.busy >= headAnswering {
		return false
	}
	r.busy++
	return true
}

func (r *runs) end() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.busy--
}

// note records nonce for conn c of p and reports whether another open
// connection of p presented a different one.
func (r *runs) note(p peer.ID, c string, nonce string, open []network.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.by == nil {
		r.by = map[peer.ID]map[string]string{}
	}
	live := map[string]string{c: nonce}
	twin := false
	for _, oc := range open {
		if n, ok := r.by[p][oc.ID()]; ok && oc.ID() != c {
			live[oc.ID()] = n
			twin = twin || n != nonce
		}
	}
	if len(r.by) >= 4096 {
		clear(r.by) // bounded: forgetting only delays a warning
	}
	r.by[p] = live
	return twin
}

// answerHead serves one head request.
func (n *Node) answerHead(st network.Stream) {
	if !n.self.runs.begin() {
		_ = st.Reset()
		return
	}
	defer n.self.runs.end()
	_ = st.SetDeadline(time.Now().Add(headDeadline))
	if err := n.serveHead(st); err != nil {
		_ = st.Reset()
		return
	}
	_ = st.Close()
}

func (n *Node) serveHead(st network.Stream) error {
	var req headReq
	if err := readHeadMsg(bufio.NewReader(st), headReqMax, &req); err != nil {
		return err
	}
	author, err := peer.IDFromBytes(req.A)
	if err != nil {
		return fmt.Errorf("head: author: %w", err)
	}
	ans, err := n.headOf(author, req.F)
	if err != nil {
		return err
	}
	from := st.Conn().RemotePeer()
	if author == from && len(req.R) > 0 && len(req.R) <= 32 {
		ans.T = n.self.runs.note(from, st.Conn().ID(), string(req.R), n.host.Network().ConnsToPeer(from))
	}
	return writeHeadMsg(st, ans)
}

// headOf answers for author from the vault.
func (n *Node) headOf(author peer.ID, from uint64) (headAns, error) {
	h, err := n.store.Head(author)
	if err != nil {
		return headAns{}, fmt.Errorf("head: %w", err)
	}
	ans := headAns{S: h.Seq, C: [][]byte{}}
	if from == 0 || from > h.Seq {
		return ans, nil
	}
	log, err := n.store.Log(author, from, headCIDs)
	if err != nil {
		return headAns{}, fmt.Errorf("head: %w", err)
	}
	for _, b := range log {
		ans.C = append(ans.C, b.CID.Bytes())
	}
	return ans, nil
}

// askHead asks p for author's head and the CIDs of its log from seq from.
func (n *Node) askHead(ctx context.Context, p peer.ID, author peer.ID, from uint64, nonce []byte) (headAns, []cid.Cid, error) {
	ctx, cancel := context.WithTimeout(overRelay(ctx), headDeadline)
	defer cancel()
	st, err := n.host.NewStream(ctx, p, headProtocol)
	if err != nil {
		return headAns{}, nil, fmt.Errorf("head from %s: %w", p, err)
	}
	defer st.Reset()
	stop := context.AfterFunc(ctx, func() { _ = st.Reset() })
	defer stop()
	if d, ok := ctx.Deadline(); ok {
		_ = st.SetDeadline(d)
	}
	var ans headAns
	if err := writeHeadMsg(st, headReq{A: []byte(author), F: from, R: nonce}); err != nil {
		return headAns{}, nil, fmt.Errorf("head from %s: %w", p, err)
	}
	if err := readHeadMsg(bufio.NewReader(st), headAnsMax, &ans); err != nil {
		return headAns{}, nil, fmt.Errorf("head from %s: %w", p, err)
	}
	cids, err := headCIDList(ans)
	if err != nil {
		return headAns{}, nil, fmt.Errorf("head from %s: %w", p, err)
	}
	return ans, cids, nil
}

func headCIDList(ans headAns) ([]cid.Cid, error) {
	if len(ans.C) > headCIDs {
		return nil, fmt.Errorf("%d cids, limit %d", len(ans.C), headCIDs)
	}
	out := make([]cid.Cid, 0, len(ans.C))
	for _, c := range ans.C {
		id, err := cid.Cast(c)
		if err != nil {
			return nil, fmt.Errorf("cid: %w", err)
		}
		out = append(out, id)
	}
	return out, nil
}

func writeHeadMsg(w io.Writer, v any) error {
	data, err := protocol.Marshal(v)
	if err != nil {
		return fmt.Errorf("head: encode: %w", err)
	}
	buf := binary.AppendUvarint(make([]byte, 0, len(data)+4), uint64(len(data)))
	_, err = w.Write(append(buf, data...))
	return err
}

func readHeadMsg(r *bufio.Reader, limit int, v any) error {
	size, err := binary.ReadUvarint(r)
	if err != nil {
		return fmt.Errorf("head: read: %w", err)
	}
	if size > uint64(limit) {
		return fmt.Errorf("head: message of %d bytes, limit %d", size, limit)
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return fmt.Errorf("head: read: %w", err)
	}
	return protocol.Unmarshal(data, v)
}
