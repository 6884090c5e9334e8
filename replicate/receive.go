package replicate

import (
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/internal/parallel"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

const (
	// storeBlocks and storeBytes bound what a session holds opened before
	// it stores: the blocks of several messages go into one vault
	// transaction (a message carries at most batchSize), so a large sync
	// pays a commit per storeBlocks entries, not per message.
	storeBlocks = 1024
	storeBytes  = 4 << 20
)

// recvBlocks reads one turn of block messages, opening each message's
// blocks as it comes and storing them in transactions of up to
// storeBlocks entries or storeBytes bytes, and whatever is held at the
// end of the turn or when the turn breaks off.
func (se *session) recvBlocks() (err error) {
	var held []protocol.Block
	size := 0
	defer func() {
		if ferr := se.store(held); err == nil {
			err = ferr
		}
	}()
	for {
		var m message
		if err := se.r.read(&m); err != nil {
			return err
		}
		if m.E != nil {
			return &RemoteError{Code: Code(m.E.C), Reason: m.E.R}
		}
		if len(m.B) > batchSize {
			return fmt.Errorf("%w: %d blocks in a message, limit %d", ErrTooLarge, len(m.B), batchSize)
		}
		if !m.empty() {
			return fmt.Errorf("%w: reconciliation parts among blocks", ErrMalformed)
		}
		if m.M && len(m.B) == 0 {
			return fmt.Errorf("%w: an empty block message with more to follow", ErrMalformed)
		}
		blocks, err := se.openAll(m.B)
		held = append(held, blocks...)
		if err != nil {
			return err
		}
		for _, b := range blocks {
			size += len(b.Data)
		}
		if len(held) >= storeBlocks || size >= storeBytes {
			batch := held
			held, size = nil, 0
			if err := se.store(batch); err != nil {
				return err
			}
		}
		if !m.M {
			return nil
		}
	}
}

// openAll opens and checks a message's blocks on every core and returns
// the good ones. A message that carries one block twice is malformed.
func (se *session) openAll(data [][]byte) ([]protocol.Block, error) {
	seen := make(map[cid.Cid]bool, len(data))
	for _, d := range data {
		c := protocol.Sum(d)
		if seen[c] {
			return nil, fmt.Errorf("%w: block %s twice in one message", ErrMalformed, c)
		}
		seen[c] = true
	}
	opened := make([]protocol.Block, len(data))
	errs := make([]error, len(data))
	parallel.For(len(data), func(i int) { opened[i], errs[i] = se.open(data[i]) })
	var good []protocol.Block
	for i, b := range opened {
		se.stats.Received++
		if err := errs[i]; err != nil {
			if f := se.svc.cfg.OnRejected; f != nil {
				f(se.st.Conn().RemotePeer(), err)
			}
			if se.stats.Rejected++; se.stats.Rejected > MaxRejects {
				return good, fmt.Errorf("%w: %d, last: %v", ErrTooManyRejects, se.stats.Rejected, err)
			}
			continue
		}
		if b.CID.Defined() {
			good = append(good, b)
		}
	}
	return good, nil
}

// store puts opened blocks in one transaction. Storing a new block counts
// as the session moving (see admit); blocks already held do not, so a
// peer cannot keep a silent session's slot by resending them.
func (se *session) store(batch []protocol.Block) error {
	if len(batch) == 0 {
		return nil
	}
	res, err := se.svc.put(se.st.Conn().RemotePeer(), batch)
	if err != nil {
		return fmt.Errorf("store batch: %w", err)
	}
	before := se.stats.New + se.stats.Forks
	for i, r := range res {
		se.count(batch[i], r)
	}
	if se.stats.New+se.stats.Forks > before {
		se.moved.Store(se.svc.now().UnixNano())
	}
	return nil
}

// FromStore is a store that accounts what it stores to the peer that sent
// it (a node's quota of new authors per peer); sessions and fetches use
// PutFrom when the store has it.
type FromStore interface {
	PutFrom(from peer.ID, blocks ...protocol.Block) ([]storage.Result, error)
}

// put stores blocks from peer p in one transaction.
func (s *Service) put(p peer.ID, blocks []protocol.Block) ([]storage.Result, error) {
	if fs, ok := s.store.(FromStore); ok {
		return fs.PutFrom(p, blocks...)
	}
	return s.store.Put(blocks...)
}

// open opens and checks one block; a zero Block with nil error means the
// check said Ignore.
func (se *session) open(data []byte) (protocol.Block, error) {
	b, err := protocol.Open(data)
	if err != nil || se.svc.cfg.Check == nil {
		return b, err
	}
	switch v := se.svc.cfg.Check(b); v.Outcome {
	case protocol.Reject:
		return protocol.Block{}, v.Reason
	case protocol.Ignore:
		return protocol.Block{}, nil
	}
	return b, nil
}

func (se *session) count(b protocol.Block, r storage.Result) {
	switch r.Status {
	case storage.Known:
		se.stats.Known++
		return
	case storage.Another:
		se.stats.Known++
	case storage.Refused:
		se.stats.Refused++
		return
	case storage.Equivocation:
		se.stats.Forks++
		if sl := (slot{b.Entry.Author, b.Entry.Seq}); !se.slots[sl] {
			se.echoes = append(se.echoes, sl)
			se.slots[sl] = true
		}
	default:
		se.stats.New++
	}
	if se.svc.cfg.OnStored != nil {
		se.svc.cfg.OnStored(se.st.Conn().RemotePeer(), b, r)
	}
}
