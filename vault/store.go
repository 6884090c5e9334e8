package vault

import (
	"errors"
	"time"

	"github.com/mesocosm/mycel/storage"
)

// Errors returned by stores. ErrNotFound and ErrBehind are the storage
// contract's (storage.ErrNotFound, storage.ErrBehind).
var (
	ErrNotFound = storage.ErrNotFound
	ErrInUse    = errors.New("home already in use by another process")
	ErrLocked   = errors.New("identity key is encrypted: passphrase needed")
	ErrBadPass  = errors.New("wrong passphrase")
	ErrNoKey    = errors.New("vault has no identity key")
	ErrNotVault = errors.New("not a mycel vault")
	ErrCorrupt  = errors.New("vault is corrupt")
	ErrBehind   = storage.ErrBehind
)

// Reasons a block is Refused (Result.Reason): it would wait past a gap
// beyond what the vault keeps for entries that may never join (see Quota).
var (
	ErrAhead       = storage.ErrAhead
	ErrSlotFull    = storage.ErrSlotFull
	ErrAuthorQuota = storage.ErrAuthorQuota
	ErrPendingFull = storage.ErrPendingFull
)

// The storage contract, under the names the vault has always given it.
type (
	Status = storage.Status
	Result = storage.Result
	Head   = storage.Head
	Fork   = storage.Fork
	Query  = storage.Query
	Reader = storage.Reader
	Writer = storage.Writer
	Store  = storage.Store
)

// Statuses of a put block.
const (
	New          = storage.New
	Known        = storage.Known
	Pending      = storage.Pending
	Equivocation = storage.Equivocation
	Refused      = storage.Refused
	Another      = storage.Another
)

// Evidence describes one evidence item. Its content never leaves the vault.
type Evidence struct {
	ID     string   // hex of the first 8 bytes of Leaf
	Label  string   // what the owner called it
	Size   int64    // bytes of content
	Salt   [16]byte // from crypto/rand
	Digest [32]byte // sha2-256 of the content
	Leaf   [32]byte // protocol.Leaf(Salt, Digest)
	Added  time.Time
}

var _ Store = (*Bolt)(nil)
