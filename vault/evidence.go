package vault

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// MaxEvidenceSize bounds one evidence item's content.
const MaxEvidenceSize = 64 << 20

// evidenceRecord is an Evidence as stored: canonical DAG-CBOR.
type evidenceRecord struct {
	Label  string `cbor:"label"`
	Size   int64  `cbor:"size"`
	Salt   []byte `cbor:"salt"`
	Digest []byte `cbor:"digest"`
	Leaf   []byte `cbor:"leaf"`
	Added  int64  `cbor:"added"` // unix milliseconds
}

// AddEvidence stores content as a new evidence item with a fresh salt and
// returns its description. The content never leaves the vault.
func (v *Bolt) AddEvidence(content []byte, label string) (Evidence, error) {
	if len(content) > MaxEvidenceSize {
		return Evidence{}, fmt.Errorf("vault evidence: %d bytes, limit %d", len(content), MaxEvidenceSize)
	}
	ev := Evidence{
		Label: label, Size: int64(len(content)), Digest: sha256.Sum256(content),
		Added: time.Now().Truncate(time.Millisecond),
	}
	err := v.update(func(tx *bolt.Tx) error {
		for {
			rand.Read(ev.Salt[:])
			ev.Leaf = protocol.Leaf(ev.Salt, ev.Digest)
			ev.ID = hex.EncodeToString(ev.Leaf[:8])
			if tx.Bucket(bEvidence).Get([]byte(ev.ID)) == nil {
				break // a colliding ID takes another salt
			}
		}
		rec, err := protocol.Marshal(evidenceRecord{
			Label: ev.Label, Size: ev.Size, Salt: ev.Salt[:], Digest: ev.Digest[:],
			Leaf: ev.Leaf[:], Added: ev.Added.UnixMilli(),
		})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bEvidence).Put([]byte(ev.ID), rec); err != nil {
			return err
		}
		return tx.Bucket(bContent).Put([]byte(ev.ID), content)
	})
	if err != nil {
		return Evidence{}, fmt.Errorf("vault evidence: %w", err)
	}
	return ev, nil
}

// Evidence returns the item with this ID and its content, or an error
// wrapping ErrNotFound.
func (v *Bolt) Evidence(id string) (Evidence, []byte, error) {
	var ev Evidence
	var content []byte
	err := v.view(func(tx *bolt.Tx) error {
		rec := tx.Bucket(bEvidence).Get([]byte(id))
		if rec == nil {
			return ErrNotFound
		}
		var err error
		if ev, err = parseEvidence(id, rec); err != nil {
			return err
		}
		content = bytes.Clone(tx.Bucket(bContent).Get([]byte(id)))
		if int64(len(content)) != ev.Size || sha256.Sum256(content) != ev.Digest {
			return fmt.Errorf("%w: content does not match its digest", ErrCorrupt)
		}
		return nil
	})
	if err != nil {
		return Evidence{}, nil, fmt.Errorf("vault evidence %s: %w", id, err)
	}
	return ev, content, nil
}

// ListEvidence returns every evidence item, oldest first (ties by ID).
func (v *Bolt) ListEvidence() ([]Evidence, error) {
	var out []Evidence
	err := v.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bEvidence).ForEach(func(k, rec []byte) error {
			ev, err := parseEvidence(string(k), rec)
			out = append(out, ev)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("vault evidence: %w", err)
	}
	slices.SortStableFunc(out, func(a, b Evidence) int { return cmp.Compare(a.Added.UnixMilli(), b.Added.UnixMilli()) })
	return out, nil
}

func parseEvidence(id string, data []byte) (Evidence, error) {
	var r evidenceRecord
	if err := protocol.Unmarshal(data, &r); err != nil {
		return Evidence{}, fmt.Errorf("%w: evidence %s: %v", ErrCorrupt, id, err)
	}
	if len(r.Salt) != protocol.SaltSize || len(r.Digest) != 32 || len(r.Leaf) != 32 {
		return Evidence{}, fmt.Errorf("%w: evidence %s: bad field sizes", ErrCorrupt, id)
	}
	ev := Evidence{ID: id, Label: r.Label, Size: r.Size, Added: time.UnixMilli(r.Added)}
	copy(ev.Salt[:], r.Salt)
	copy(ev.Digest[:], r.Digest)
	copy(ev.Leaf[:], r.Leaf)
	return ev, nil
}
