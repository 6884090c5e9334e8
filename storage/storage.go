package storage

import (
	"errors"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Errors returned by stores.
var (
	ErrNotFound = errors.New("not found")
	ErrBehind   = errors.New("own log has entries past its head: sync them before appending")
)

// Reasons a block is Refused (Result.Reason): it would wait past a gap
// beyond what the store keeps for entries that may never join.
var (
	ErrAhead       = errors.New("seq too far past the author's head")
	ErrSlotFull    = errors.New("pending slot already holds a second entry")
	ErrAuthorQuota = errors.New("author has too many pending entries")
	ErrPendingFull = errors.New("pending entries at the vault's quota")
)

// Status says what Put did with one block.
type Status int

const (
	New          Status = iota // stored and joined to its author's log
	Known                      // an entry with the same ID is already held
	Pending                    // stored, waiting for a gap in its author's log to fill
	Equivocation               // a different entry at the same (author, seq): recorded as a fork
	Refused                    // not stored: past a gap, beyond the pending quota (Result.Reason)
	// Another: a further block of a held entry (same ID, another
	// signature), stored so that links to it name the entry; see MaxOthers.
	Another
)

// MaxOthers bounds the further blocks a store keeps of one joined entry
// (Another); a signer can make any number of them. Blocks of entries
// past the head (pending) are not kept as others.
const MaxOthers = 2

func (s Status) String() string {
	return [...]string{"new", "known", "pending", "equivocation", "refused", "another"}[s]
}

// Result reports the outcome of putting one block.
type Result struct {
	CID    cid.Cid
	Status Status
	// Joined lists pending entries that joined their log because this block
	// filled the gap before them, in log order.
	Joined []cid.Cid
	// Reason says why a Refused block was not stored: ErrAhead,
	// ErrSlotFull, ErrAuthorQuota or ErrPendingFull.
	Reason error
}

// Head is the last entry of an author's contiguous log: one element of a
// version vector.
type Head struct {
	Author peer.ID
	Seq    uint64
	CID    cid.Cid
	Digest [32]byte // protocol.ID digest of the head entry
}

// Fork is an equivocation record: two different entries by one author at
// one seq. First is the entry in the log (first seen), Second the other.
type Fork struct {
	Author peer.ID
	Seq    uint64
	First  cid.Cid
	Second cid.Cid
}

// Reader reads entries.
type Reader interface {
	// Get returns the block with CID c, or ErrNotFound.
	Get(c cid.Cid) (protocol.Block, error)
	// Has reports whether the block with CID c is stored.
	Has(c cid.Cid) (bool, error)
	// Heads returns the version vector: one Head per author with a joined
	// entry, ordered by author.
	Heads() ([]Head, error)
	// Head returns author's head; a zero Head when none is joined.
	Head(author peer.ID) (Head, error)
	// Log returns author's joined entries with seq >= from, in log order,
	// at most limit of them (limit <= 0: all).
	Log(author peer.ID, from uint64, limit int) ([]protocol.Block, error)
	// Query returns joined entries matching q, ordered by author then seq.
	Query(q Query) ([]protocol.Block, error)
	// QueryPage returns a page of at most limit (see PageSize) joined
	// entries matching q, in an order fixed for the store (author, as
	// the store numbers them, then seq), starting after the cursor after
	// ("" for the first page: a Next of an earlier page of q). A page
	// reads at most MaxPageScan entries, so it may hold fewer than limit
	// and still have a Next.
	QueryPage(q Query, after string, limit int) (Page, error)
	// Forks returns every equivocation record.
	Forks() ([]Fork, error)
	// Waiting returns the CIDs of author's pending primaries (entries held
	// past a gap or on a branch of a fork, not joined), by seq.
	Waiting(author peer.ID) ([]cid.Cid, error)
	// Others returns the CIDs of the further blocks held of joined
	// entries (Another), each readable with Get.
	Others() ([]cid.Cid, error)
}

// Writer stores entries.
type Writer interface {
	// Put stores opened blocks (see protocol.Open) in one transaction, with
	// their indexes. A block whose ID is held is Known and changes nothing; a
	// different block at a held (author, seq) is an Equivocation; a block
	// past a gap is Pending until the gap fills, or Refused when it would
	// exceed the pending quota. The first-seen entry at an (author, seq) is
	// never replaced.
	Put(blocks ...protocol.Block) ([]Result, error)
	// Append signs e as the next entry of key's log, assigning Seq and Prev
	// atomically, and stores it. It fails with ErrBehind while the store
	// holds entries of key's author past its head.
	Append(key crypto.PrivKey, e protocol.Entry) (protocol.Block, error)
}

// Store is the entry store every backend implements; conformance tests in
// vault/vaulttest check the contract.
type Store interface {
	Reader
	Writer
}
