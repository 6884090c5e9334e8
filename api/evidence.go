package api

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/mesocosm/mycel/vault"
)

// MaxEvidenceSize bounds one evidence item sent through the API.
const MaxEvidenceSize = vault.MaxEvidenceSize

// Evidence describes an evidence item. Its content and salt never leave
// the vault.
type Evidence struct {
	ID     string    `json:"id"`
	Label  string    `json:"label"`
	Size   int64     `json:"size"`
	Digest string    `json:"digest"` // hex sha2-256 of the content
	Leaf   string    `json:"leaf"`   // hex commitment leaf
	Added  time.Time `json:"added"`
}

func evidenceOf(e vault.Evidence) Evidence {
	return Evidence{
		ID: e.ID, Label: e.Label, Size: e.Size, Added: entryTime(e.Added.UnixMilli()),
		Digest: hex.EncodeToString(e.Digest[:]), Leaf: hex.EncodeToString(e.Leaf[:]),
	}
}

// AddEvidence stores content in the vault under label.
func (l *Local) AddEvidence(_ context.Context, content []byte, label string) (Evidence, error) {
	if len(content) == 0 {
		return Evidence{}, badInput("evidence is empty (0 bytes): a proof committing to it gives a verifier nothing to check; check the file (for -, that something was piped in)")
	}
	if len(content) > MaxEvidenceSize {
		return Evidence{}, badInput("evidence is %d bytes, limit %d", len(content), MaxEvidenceSize)
	}
	e, err := l.Vault.AddEvidence(content, label)
	if err != nil {
		return Evidence{}, fmt.Errorf("add evidence: %w", err)
	}
	return evidenceOf(e), nil
}

// Evidence lists the vault's evidence items.
func (l *Local) Evidence(context.Context) ([]Evidence, error) {
	items, err := l.Vault.ListEvidence()
	if err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	out := make([]Evidence, len(items))
	for i, e := range items {
		out[i] = evidenceOf(e)
	}
	return out, nil
}

// evidenceLeaves looks up ids in order; an unknown or repeated id is bad input.
func (l *Local) evidenceLeaves(ids []string) ([][32]byte, error) {
	seen := make(map[string]bool, len(ids))
	leaves := make([][32]byte, 0, len(ids))
	for _, id := range ids {
		if seen[id] {
			return nil, badInput("evidence %s is named twice", id)
		}
		seen[id] = true
		e, _, err := l.Vault.Evidence(id)
		if errors.Is(err, vault.ErrNotFound) {
			return nil, badInput("evidence %s is not in the vault (see: mycel evidence list)", id)
		}
		if err != nil {
			return nil, fmt.Errorf("evidence %s: %w", id, err)
		}
		leaves = append(leaves, e.Leaf)
	}
	return leaves, nil
}
