package api

import (
	"context"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// Local implements Service over a vault and, inside the daemon, a mesh.
type Local struct {
	Vault Vault
	// Mesh is nil without a daemon: Status and Connect then return
	// ErrOffline and Publish appends to the vault only (the entry travels
	// when a daemon next syncs).
	Mesh Mesh
	// Grid is the daemon's OpenGrid part; nil without a daemon.
	Grid GridMesh
	// Arena reads other districts' arenas through the DHT; nil without
	// a daemon.
	Arena ArenaMesh
	// Registry is the MIP registry claims are checked against: the
	// node's inside the daemon, VaultMIPs of the vault without one.
	Registry *mip.Registry
	// Verified is the seam for the verification view (settle): it says
	// whether a proof is verified under its MIP's policy. Settlement, when
	// set, takes its place. Both nil: no proof is reported verified.
	Verified func(protocol.Block) bool
	// Flagged lists the authors the settlement views flag, without a
	// whole snapshot of them: the write paths' roster checks need only
	// this. Nil: Settlement's Flags.
	Flagged func() []peer.ID
	// Position gives an account's covered position in a unit (see
	// settle.Ledger.Position) for the credit check before a payment,
	// without a snapshot of the views. Nil: summed over Settlement's
	// receipt lines.
	Position func(account peer.ID, unit string) int64
	// Settlement gives the settlement views (proof status, balances,
	// receipts, ledger). Nil: those methods return ErrOffline.
	Settlement func() (Views, error)
	// Pins are the configured district geneses (config.toml [pins]),
	// which the rosters Local reads itself follow.
	Pins settle.Pins
	// Now is the clock for entry times; nil: time.Now.
	Now func() time.Time
}

var _ Service = (*Local)(nil)

func (l *Local) now() time.Time {
	if l.Now == nil {
		return time.Now()
	}
	return l.Now()
}

// VaultMIPs returns a registry of the built-in MIPs and of the MIPs
// published as mip entries r holds, joined or on either side of a fork,
// as a node loads them at start: commands without a daemon judge proofs
// against it. A mip entry that conflicts with a built-in changes nothing;
// of two definitions of one ref the one with the smaller CID wins.
func VaultMIPs(r vault.Reader) (*mip.Registry, error) {
	reg := mip.Builtins()
	held, err := r.Query(vault.Query{Kind: protocol.KindMIP})
	if err != nil {
		return nil, fmt.Errorf("mips: %w", err)
	}
	forks, err := r.Forks()
	if err != nil {
		return nil, fmt.Errorf("mips: %w", err)
	}
	for _, f := range forks {
		b, err := r.Get(f.Second)
		if err != nil {
			return nil, fmt.Errorf("mips: fork %s: %w", f.Second, err)
		}
		held = append(held, b)
	}
	for _, b := range held {
		loadMIP(reg, b)
	}
	return reg, nil
}

// loadMIP makes the MIP of a mip entry known to reg; other kinds and
// conflicting definitions change nothing.
func loadMIP(reg *mip.Registry, b protocol.Block) {
	if b.Entry.Kind == protocol.KindMIP {
		_ = reg.Load(b)
	}
}

// Identity is the answer of `mycel id`.
type Identity struct {
	PeerID string   `json:"peer_id"`
	DID    string   `json:"did"`
	Addrs  []string `json:"addrs"` // full multiaddrs ending in /p2p/<peer_id>; empty without a daemon
}

// Status is the answer of `mycel status`.
type Status struct {
	// Warnings lists, one line each with its remedy, what needs the
	// user: this peer refuses to write, forks held, pins that fix no
	// genesis, bootstrap peers unreachable, clocks far apart. Empty when
	// all is well.
	Warnings []string `json:"warnings"`
	Self     Self     `json:"self"`
	Peers    []Peer   `json:"peers"`
	// Remembered lists the remembered peers not connected now, with the
	// last dial error: the node redials them with backoff.
	Remembered []Remembered `json:"remembered"`
}

// Self describes this peer in Status.
type Self struct {
	PeerID       string   `json:"peer_id"`
	DID          string   `json:"did"`
	Reachability string   `json:"reachability"` // public | private | unknown | offline
	Relays       []string `json:"relays"`       // relays reserved on while private
	Addrs        []string `json:"addrs"`
	// Warning says, in one line with the remedy, why this peer refuses to
	// write its own log (it is flagged, or another process holds its
	// identity); absent while it writes.
	Warning string `json:"warning,omitempty"`
	// Entries is the number of entries this peer holds, in its views;
	// absent without them.
	Entries int `json:"entries,omitempty"`
}

// ownLogMesh is a Mesh that knows whether it may write its own log.
type ownLogMesh interface{ OwnLogErr() error }

// ownWarning is the Self.Warning of m.
func ownWarning(m Mesh) string {
	if o, ok := m.(ownLogMesh); ok {
		if err := o.OwnLogErr(); err != nil {
			return err.Error()
		}
	}
	return ""
}

// Peer is one connected peer.
type Peer struct {
	PeerID     string    `json:"peer_id"`
	Addr       string    `json:"addr"`       // remote multiaddr of the connection
	Connection string    `json:"connection"` // direct | relayed | lan
	LatencyMS  float64   `json:"latency_ms"` // round trip; 0 when not yet measured
	LastSeen   time.Time `json:"last_seen"`  // last connect, disconnect or entry from it
	// LastEntry is when an entry it sent was last stored; absent when none
	// came since it connected.
	LastEntry time.Time `json:"last_entry,omitzero"`
	// LastSync is the last anti-entropy round with it; absent before one.
	LastSync *PeerSync `json:"last_sync,omitempty"`
	// ClockSkewMS is how far its clock runs ahead of ours (negative:
	// behind), from the times of entries it wrote and sent; absent until
	// known.
	ClockSkewMS *int64 `json:"clock_skew_ms,omitempty"`
}

// PeerSync is the outcome of the last sync round with a peer. New is how
// many entries this peer lacked (was behind), Sent how many the peer was
// sent (what it may have lacked).
type PeerSync struct {
	At       time.Time `json:"at"`
	InSync   bool      `json:"in_sync"` // it ended with each side holding what the other had
	Received int       `json:"received"`
	New      int       `json:"new"`
	Sent     int       `json:"sent"`
	BytesIn  int64     `json:"bytes_in"`
	BytesOut int64     `json:"bytes_out"`
	Error    string    `json:"error,omitempty"`
}

// Identity returns this peer's ID, did:key and, with a mesh, addresses.
func (l *Local) Identity(context.Context) (Identity, error) {
	id := l.Vault.ID()
	did, err := protocol.DID(id)
	if err != nil {
		return Identity{}, fmt.Errorf("identity: %w", err)
	}
	out := Identity{PeerID: id.String(), DID: did, Addrs: []string{}}
	if l.Mesh != nil {
		out.Addrs = l.Mesh.Addrs()
	}
	return out, nil
}

// Status reports reachability and peers; ErrOffline without a mesh.
func (l *Local) Status(ctx context.Context) (Status, error) {
	if l.Mesh == nil {
		return Status{}, ErrOffline
	}
	id, err := l.Identity(ctx)
	if err != nil {
		return Status{}, err
	}
	peers := l.Mesh.Peers()
	if peers == nil {
		peers = []Peer{}
	}
	st := Status{
		Self:  Self{PeerID: id.PeerID, DID: id.DID, Reachability: l.Mesh.Reachability(), Relays: l.Mesh.Relays(), Addrs: id.Addrs, Warning: ownWarning(l.Mesh)},
		Peers: peers, Remembered: l.remembered(),
	}
	if v, err := l.views(); err == nil {
		if n, ok := v.(interface{ Entries() int }); ok {
			st.Self.Entries = n.Entries()
		}
	}
	st.Warnings = l.warnings(st)
	return st, nil
}

// Connect dials addr, a full multiaddr ending in /p2p/<peer id>.
func (l *Local) Connect(ctx context.Context, addr string) (Peer, error) {
	if err := CheckPeerAddr(addr); err != nil {
		return Peer{}, err
	}
	if l.Mesh == nil {
		return Peer{}, ErrOffline
	}
	return l.Mesh.Connect(ctx, addr)
}

// CheckPeerAddr validates a multiaddr that names a peer.
func CheckPeerAddr(addr string) error {
	m, err := ma.NewMultiaddr(addr)
	if err != nil {
		return badInput("%q is not a multiaddr: %v", addr, err)
	}
	if _, err := m.ValueForProtocol(ma.P_P2P); err != nil {
		return badInput("%q names no peer: end it with /p2p/<peer id>", addr)
	}
	return nil
}
