package node

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// jsonLines decodes a JSON log.
func jsonLines(t testing.TB, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

var errBadThing = errors.New("bad signature")

// TestRejectLogRateLimited: a peer that sends a thousand bad entries in a
// minute, each with its own details, gets one line; a second peer gets
// its own; past the minute the next line says how many were left out. A
// peer that varies its reasons fills at most maxReasons slots.
func TestRejectLogRateLimited(t *testing.T) {
	var buf bytes.Buffer
	n := &Node{log: slog.New(slog.NewJSONHandler(&buf, nil))}
	l := &logLoop{n: n}
	ctx := t.Context()
	hostile, other := peer.ID("hostile"), peer.ID("other")
	now := time.Unix(1_700_000_000, 0)
	reject := func(p peer.ID, err error, at time.Time) {
		l.rejected(ctx, Rejected{From: p, Source: Gossip, District: district, Verdict: protocol.Rejected(err)}, at)
	}
	for i := range 1000 {
		reject(hostile, fmt.Errorf("entry %d: %w", i, errBadThing), now.Add(time.Duration(i)*time.Millisecond))
	}
	reject(other, errBadThing, now)
	reject(hostile, fmt.Errorf("entry late: %w", errBadThing), now.Add(RejectLogEvery+time.Second))
	lines := jsonLines(t, &buf)
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), buf.String())
	}
	if lines[0]["peer"] != hostile.String() || lines[0]["msg"] != "entry rejected" || lines[0]["suppressed"] != 0.0 {
		t.Fatalf("first line %v", lines[0])
	}
	if lines[1]["peer"] != other.String() {
		t.Fatalf("second line %v, want the other peer", lines[1])
	}
	if lines[2]["suppressed"] != 999.0 {
		t.Fatalf("third line %v, want suppressed 999", lines[2])
	}
	buf.Reset()
	for i := range 1000 {
		reject(hostile, fmt.Errorf("reason %d", i), now.Add(2*RejectLogEvery))
	}
	if got := len(jsonLines(t, &buf)); got > maxReasons {
		t.Fatalf("%d lines for varied reasons, want at most %d", got, maxReasons)
	}
	if got := len(l.reject.peers[hostile]); got > maxReasons {
		t.Fatalf("%d reason slots held, want at most %d", got, maxReasons)
	}
}

// TestRejectLimitBounded: a flood of peers never grows the limiter past
// maxLoggedPeers.
func TestRejectLimitBounded(t *testing.T) {
	var l rejectLimit
	now := time.Unix(1_700_000_000, 0)
	for i := range 5 * maxLoggedPeers {
		l.allow(peer.ID(fmt.Sprint(i)), "bad", now)
	}
	if len(l.peers) > maxLoggedPeers {
		t.Fatalf("%d peers held", len(l.peers))
	}
}

// lineChan is a writer that hands each JSON log line to a channel, so a
// test waits on the log loop's lines as events.
type lineChan chan map[string]any

func (c lineChan) Write(p []byte) (int, error) {
	var m map[string]any
	if err := json.Unmarshal(p, &m); err == nil {
		c <- m
	}
	return len(p), nil
}

// waitLine reads lines until one has msg.
func waitLine(t *testing.T, ctx context.Context, lines lineChan, msg string) map[string]any {
	t.Helper()
	for {
		select {
		case m := <-lines:
			if m["msg"] == msg {
				return m
			}
		case <-ctx.Done():
			t.Fatalf("no %q line", msg)
		}
	}
}

// TestLogForkFlagPayment: a node with a logger writes "fork seen" and
// "author flagged" (once) when an author's fork is stored, and "payment"
// when a receipt is.
func TestLogForkFlagPayment(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	lines := make(lineChan, 1024)
	n := peerNode(t, WithLogger(slog.New(slog.NewJSONHandler(lines, nil))))
	c := newChain(t)
	first := c.at(t, 1, cid.Undef, protocol.KindAttest, &protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte("a"))), Verdict: protocol.Valid})
	second := c.at(t, 1, cid.Undef, protocol.KindAttest, &protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte("b"))), Verdict: protocol.Valid})
	if _, err := n.Ingest(first, second); err != nil {
		t.Fatal(err)
	}
	fork := waitLine(t, ctx, lines, "fork seen")
	if fork["author"] != c.id.String() || fork["seq"] != 1.0 {
		t.Fatalf("fork line %v", fork)
	}
	if flag := waitLine(t, ctx, lines, "author flagged"); flag["author"] != c.id.String() || flag["why"] != "fork" {
		t.Fatalf("flag line %v", flag)
	}
	payee := newChain(t)
	if _, err := n.Publish(ctx, entry(t, protocol.KindReceipt, &settle.Receipt{Payee: []byte(payee.id), Amount: 7, Unit: "credit"})); err != nil {
		t.Fatal(err)
	}
	pay := waitLine(t, ctx, lines, "payment")
	if pay["from"] != n.ID().String() || pay["to"] != payee.id.String() || pay["amount"] != 7.0 || pay["own"] != true || pay["source"] != "local" {
		t.Fatalf("payment line %v", pay)
	}
}
