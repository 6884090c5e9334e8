package scale

import (
	"fmt"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// put adds one author's log to the batch and stores the batch once it
// holds batchEntries entries.
func (b *builder) put(log []protocol.Block) error {
	b.batch = append(b.batch, log...)
	if len(b.batch) < batchEntries {
		return nil
	}
	return b.flush()
}

// flush stores the batch in one transaction; every entry must be new.
func (b *builder) flush() error {
	if len(b.batch) == 0 {
		return nil
	}
	res, err := b.v.Put(b.batch...)
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.Status != vault.New {
			return fmt.Errorf("entry %s stored as %v, want new", r.CID, r.Status)
		}
	}
	b.stored += len(b.batch)
	b.batch = b.batch[:0]
	return nil
}
