package scale

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Manifest describes a built home.
type Manifest struct {
	Size     Size          `json:"size"`
	Entries  int           `json:"entries"` // entries stored, the steward's included
	District string        `json:"district"`
	Unit     string        `json:"unit"`
	Own      string        `json:"own"`    // the home's peer ID, a verifier
	Clinic   string        `json:"clinic"` // a clinic's peer ID, to pay
	Open     []string      `json:"open"`   // CIDs of clinic proofs no one attested, to attest
	Took     time.Duration `json:"took"`   // how long the build took
}

func writeManifest(path string, m Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o600)
}

func readManifest(path string) (Manifest, error) {
	var m Manifest
	data, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("manifest %s: %w", path, err)
	}
	return m, nil
}
