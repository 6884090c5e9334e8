package node

import (
	"context"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// WithLogger writes the node's log lines to l: peers connecting and
// leaving, sync rounds, rejected input (rate limited per peer, see
// RejectLogEvery), payments, forks, flagged authors, dial and relay
// failures, reachability. The default discards them. docs/CLI.md lists
// every line and its fields.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

func (o options) logger() *slog.Logger {
	if o.log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.log
}

// logBuffer is the room of the log loop's subscription; events past it
// are dropped (and counted in Dropped) rather than slowing the mesh.
const logBuffer = 4096

// maxFlagged bounds the authors the log remembers having reported
// flagged; past it the set starts afresh (an author may be reported
// twice).
const maxFlagged = 4096

// logLoop is the state of the log loop, owned by it.
type logLoop struct {
	n       *Node
	reject  rejectLimit
	flagged map[peer.ID]bool
	kinds   protocol.Kinds
}

// startLogging subscribes to the node's events and writes a line for
// each one worth one, unless the logger discards everything.
func (n *Node) startLogging() {
	if !n.log.Enabled(context.Background(), slog.LevelError) {
		return
	}
	ev, stop := n.events.subscribe(logBuffer)
	l := &logLoop{n: n, flagged: map[peer.ID]bool{}, kinds: settleKinds()}
	n.spawn(func(ctx context.Context) {
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-ev:
				if !ok {
					return
				}
				l.line(ctx, e)
			}
		}
	})
}

func (l *logLoop) line(ctx context.Context, e Event) {
	log := l.n.log
	switch e := e.(type) {
	case PeerConnected:
		log.LogAttrs(ctx, slog.LevelInfo, "peer connected", l.n.connAttrs(e.Peer)...)
	case PeerDisconnected:
		log.LogAttrs(ctx, slog.LevelInfo, "peer disconnected", slog.String("peer", e.Peer.String()))
	case SyncDone:
		l.synced(ctx, e.Peer, "started", e.Stats, e.Err)
	case SyncAnswered:
		l.synced(ctx, e.Peer, "answered", e.Stats, e.Err)
	case Rejected:
		l.rejected(ctx, e, time.Now())
	case Stored:
		l.stored(ctx, e)
	case ReachChanged:
		log.LogAttrs(ctx, slog.LevelInfo, "reachability", slog.String("status", l.n.ReachWords()), slog.Any("relays", peerStrings(e.Reach.Relays)))
	case RedialFailed:
		lvl, msg := slog.LevelDebug, "redial failed"
		if e.Source == MetBootstrap {
			lvl, msg = slog.LevelWarn, "bootstrap peer unreachable"
		}
		log.LogAttrs(ctx, lvl, msg, slog.String("peer", e.Peer.String()), slog.String("met", e.Source),
			slog.String("error", e.Err), slog.Duration("retry_in", e.Wait))
	case RelayFailed:
		log.LogAttrs(ctx, slog.LevelWarn, "relay reservation failed", slog.String("relay", e.Relay.String()), slog.String("error", e.Err))
	case TopicPeer:
		log.LogAttrs(ctx, slog.LevelDebug, "topic peer", slog.String("district", e.District), slog.String("peer", e.Peer.String()), slog.Bool("joined", e.Joined))
	case PeerLatency:
		log.LogAttrs(ctx, slog.LevelDebug, "latency", slog.String("peer", e.Peer.String()), slog.Duration("rtt", e.RTT))
	}
}

// connAttrs describes how p is connected: direct, relayed or lan, the
// remote address and how it was met.
func (n *Node) connAttrs(p peer.ID) []slog.Attr {
	attrs := []slog.Attr{slog.String("peer", p.String())}
	for _, info := range n.Peers() {
		if info.ID == p {
			attrs = append(attrs, slog.String("conn", info.Connection()))
			if len(info.Addrs) > 0 {
				attrs = append(attrs, slog.String("addr", info.Addrs[0].String()))
			}
		}
	}
	if met := n.metBy(p); met != "" {
		attrs = append(attrs, slog.String("met", met))
	}
	return attrs
}

// synced writes a sync line for a round this side started or answered:
// info for rounds that moved entries or failed, debug for rounds between
// peers already in sync.
func (l *logLoop) synced(ctx context.Context, p peer.ID, side string, s SyncStats, err error) {
	attrs := []slog.Attr{
		slog.String("peer", p.String()), slog.String("side", side),
		slog.Int("received", s.Received), slog.Int("new", s.New), slog.Int("sent", s.Sent),
		slog.Int64("bytes_in", s.BytesReceived), slog.Int64("bytes_out", s.BytesSent),
	}
	if s.Forks+s.Rejected+s.Refused > 0 {
		attrs = append(attrs, slog.Int("forks", s.Forks), slog.Int("rejected", s.Rejected), slog.Int("refused", s.Refused))
	}
	if err != nil {
		l.n.log.LogAttrs(ctx, slog.LevelInfo, "sync failed", append(attrs, slog.String("error", cut(err.Error(), 300)))...)
		return
	}
	lvl := slog.LevelDebug
	if s.New+s.Forks+s.Sent > 0 {
		lvl = slog.LevelInfo
	}
	l.n.log.LogAttrs(ctx, lvl, "sync", attrs...)
}

// rejected writes at most one line per peer and reason per
// RejectLogEvery, with the count left out since the last.
func (l *logLoop) rejected(ctx context.Context, e Rejected, now time.Time) {
	key := reasonKey(e.Verdict.Reason)
	ok, suppressed := l.reject.allow(e.From, key, now)
	if !ok {
		return
	}
	reason := "unknown"
	if e.Verdict.Reason != nil {
		reason = cut(e.Verdict.Reason.Error(), 300)
	}
	attrs := []slog.Attr{
		slog.String("peer", e.From.String()), slog.String("source", e.Source.String()),
		slog.String("district", e.District), slog.String("outcome", e.Verdict.Outcome.String()),
		slog.String("reason", reason), slog.Int("suppressed", suppressed),
	}
	l.n.log.LogAttrs(ctx, slog.LevelWarn, "entry rejected", attrs...)
}

// stored writes payment, fork and flagged-author lines, and a debug line
// for every stored entry.
func (l *logLoop) stored(ctx context.Context, e Stored) {
	b, log := e.Block, l.n.log
	log.LogAttrs(ctx, slog.LevelDebug, "entry stored", slog.String("cid", b.CID.String()), slog.String("kind", b.Entry.Kind),
		slog.String("author", b.Entry.Author.String()), slog.Uint64("seq", b.Entry.Seq), slog.String("status", e.Result.Status.String()),
		slog.String("source", e.Source.String()), slog.String("from", e.From.String()))
	if e.Result.Status == vault.Equivocation {
		log.LogAttrs(ctx, slog.LevelWarn, "fork seen", slog.String("author", b.Entry.Author.String()), slog.Uint64("seq", b.Entry.Seq),
			slog.String("cid", b.CID.String()), slog.String("from", e.From.String()))
		l.flag(ctx, b.Entry.Author, "fork")
	}
	switch b.Entry.Kind {
	case protocol.KindReceipt:
		l.payment(ctx, e)
	case protocol.KindFraud:
		if body, err := l.kinds.Decode(b.Entry); err == nil {
			if f, ok := body.(*settle.Fraud); ok {
				if a, err := settle.VerifyFraud(f); err == nil {
					l.flag(ctx, a, "fraud entry "+b.CID.String())
				}
			}
		}
	}
}

func (l *logLoop) payment(ctx context.Context, e Stored) {
	body, err := l.kinds.Decode(e.Block.Entry)
	r, ok := body.(*settle.Receipt)
	if err != nil || !ok {
		return
	}
	from := e.Block.Entry.Author
	l.n.log.LogAttrs(ctx, slog.LevelInfo, "payment", slog.String("from", from.String()), slog.String("to", r.To().String()),
		slog.Uint64("amount", r.Amount), slog.String("unit", r.Unit), slog.String("district", e.Block.Entry.District),
		slog.String("cid", e.Block.CID.String()), slog.Bool("own", from == l.n.host.ID()), slog.String("source", e.Source.String()))
}

// flag writes "author flagged" once per author.
func (l *logLoop) flag(ctx context.Context, a peer.ID, why string) {
	if l.flagged[a] {
		return
	}
	if len(l.flagged) >= maxFlagged {
		clear(l.flagged)
	}
	l.flagged[a] = true
	l.n.log.LogAttrs(ctx, slog.LevelWarn, "author flagged", slog.String("author", a.String()), slog.String("why", why),
		slog.Bool("self", a == l.n.host.ID()))
}

func peerStrings(ps []peer.ID) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
