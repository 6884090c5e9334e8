package api

import (
	"context"
	"io"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// Service is everything the CLI can ask of a peer: the parts below, one
// per concern, so that an embedder or a test implements (or asks for)
// only the part it uses. Methods that need the mesh (Status, Connect)
// return ErrOffline when there is none; bad arguments give errors
// wrapping ErrBadInput, missing objects ErrNotFound. Local and Client
// implement it. A Server needs only PeerService and serves the other
// parts, and the optional arena, governance, grid and MIP-publishing
// ones (ArenaService, GovernService, GridService, MIPPublisher), when the
// value given implements them.
type Service interface {
	PeerService
	EvidenceService
	EntryService
	ProofService
	BundleService
	SettleService
	DistrictService
}

// parts is a Service assembled from the parts one value implements; a
// part it lacks is nil.
type parts struct {
	PeerService
	EvidenceService
	EntryService
	ProofService
	BundleService
	SettleService
	DistrictService
}

// partsOf finds the parts of Service that svc implements.
func partsOf(svc PeerService) parts {
	p := parts{PeerService: svc}
	p.EvidenceService, _ = svc.(EvidenceService)
	p.EntryService, _ = svc.(EntryService)
	p.ProofService, _ = svc.(ProofService)
	p.BundleService, _ = svc.(BundleService)
	p.SettleService, _ = svc.(SettleService)
	p.DistrictService, _ = svc.(DistrictService)
	return p
}

// PeerService is this peer and its network.
type PeerService interface {
	Identity(ctx context.Context) (Identity, error)
	Status(ctx context.Context) (Status, error)
	Connect(ctx context.Context, addr string) (Peer, error)
	// Forget removes a remembered peer (a peer ID or a multiaddr naming
	// one): it is no longer redialled.
	Forget(ctx context.Context, peer string) (Forgotten, error)
}

// EvidenceService holds evidence in the vault; its bytes never leave it.
type EvidenceService interface {
	AddEvidence(ctx context.Context, content []byte, label string) (Evidence, error)
	Evidence(ctx context.Context) ([]Evidence, error)
}

// EntryService reads the entries held: logs and exact blocks.
type EntryService interface {
	Log(ctx context.Context, q LogQuery) (LogPage, error)
	Block(ctx context.Context, c cid.Cid) ([]byte, error)
}

// ProofService publishes, lists and attests proofs against the MIPs
// (docs/PROTOCOL.md, "Proofs"); ProofStatus is ErrOffline when the Local
// has no settlement views.
type ProofService interface {
	Publish(ctx context.Context, req PublishRequest) (Published, error)
	Proofs(ctx context.Context, q ProofQuery) (ProofPage, error)
	Attest(ctx context.Context, req AttestRequest) (Written, error)
	ProofStatus(ctx context.Context, proof string) (ProofStatus, error)
	MIPs(ctx context.Context) ([]MIPSummary, error)
	MIP(ctx context.Context, ref string) (MIPDoc, error)
}

// BundleService is sneakernet (docs/PROTOCOL.md, "Bundles"): the want
// file, export (bundle.ErrNothing when the selection is empty) and import.
type BundleService interface {
	WantBundle(ctx context.Context) (bundle.Want, error)
	ExportBundle(ctx context.Context, w io.Writer, req ExportRequest) (bundle.Stats, error)
	ImportBundle(ctx context.Context, r io.Reader) (bundle.Report, error)
}

// SettleService is settlement (docs/PROTOCOL.md, "Settlement"): the
// entries it writes, and views (ErrOffline when the Local has no
// settlement views).
type SettleService interface {
	Pay(ctx context.Context, req PayRequest) (Written, error)
	Receipts(ctx context.Context) ([]Receipt, error)
	Pledge(ctx context.Context, req PledgeRequest) (Written, error)
	Pledges(ctx context.Context, q PledgeQuery) ([]PledgeRow, error)
	Withdraw(ctx context.Context, req WithdrawRequest) (Written, error)
	Balances(ctx context.Context) ([]Balance, error)
	Ledger(ctx context.Context) (Ledger, error)
}

// DistrictService founds districts and grants roles in them.
type DistrictService interface {
	CreateDistrict(ctx context.Context, req DistrictRequest) (Written, error)
	District(ctx context.Context, name string) (DistrictInfo, error)
	Grant(ctx context.Context, req RoleRequest) (Written, error)
}

// Mesh is what Local needs from a running node. The daemon adapts the
// node to it; without a daemon, Local has none.
type Mesh interface {
	// Addrs returns full multiaddrs ending in /p2p/<peer id>.
	Addrs() []string
	// Reachability is one of the Reach* words.
	Reachability() string
	// Relays lists the peer IDs of the relays this peer holds a
	// reservation on: how it is reached while private.
	Relays() []string
	// Peers lists connected peers.
	Peers() []Peer
	// Connect dials a full multiaddr.
	Connect(ctx context.Context, addr string) (Peer, error)
	// Publish appends e to this peer's log and sends it to the mesh.
	Publish(ctx context.Context, e protocol.Entry) (protocol.Block, error)
}

// Vault is what Local needs from a vault.
type Vault interface {
	vault.Reader
	ID() peer.ID
	Key() crypto.PrivKey
	Append(key crypto.PrivKey, e protocol.Entry) (protocol.Block, error)
	AddEvidence(content []byte, label string) (vault.Evidence, error)
	Evidence(id string) (vault.Evidence, []byte, error)
	ListEvidence() ([]vault.Evidence, error)
}

// Reachability words.
const (
	ReachPublic  = "public"  // dialable directly
	ReachPrivate = "private" // behind NAT: reached through relays or hole punching
	ReachUnknown = "unknown" // not yet determined
	ReachOffline = "offline" // not listening
	ReachLAN     = "lan"     // no public address: reachable on its own network only
)

// Connection kinds of a peer.
const (
	ConnDirect  = "direct"
	ConnRelayed = "relayed"
	ConnLAN     = "lan"
)
