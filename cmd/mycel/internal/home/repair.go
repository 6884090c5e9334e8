package home

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoVault: a home directory without vault.db has nothing to repair.
var ErrNoVault = errors.New("no vault.db")

// Repair writes the small files missing next to an existing vault.db:
// config.toml (rendered from cfg) and a fresh api.token. It never
// replaces a file that exists, and returns the names of those it wrote.
func Repair(h Home, cfg Config) ([]string, error) {
	if _, err := os.Stat(h.Vault()); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w in %s", ErrNoVault, h.Dir)
		}
		return nil, fmt.Errorf("home %s: %w", h.Dir, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	text, err := cfg.Render()
	if err != nil {
		return nil, fmt.Errorf("render config: %w", err)
	}
	var wrote []string
	for _, f := range []struct {
		path string
		data []byte
	}{{h.Config(), text}, {h.Token(), []byte(NewToken() + "\n")}} {
		ok, err := writeNew(f.path, f.data)
		if err != nil {
			return wrote, err
		}
		if ok {
			wrote = append(wrote, filepath.Base(f.path))
		}
	}
	return wrote, nil
}

// writeNew writes data to path, 0600, unless path exists (false). The
// file appears whole or not at all: written aside, then linked in place,
// which fails rather than replaces when path appeared meanwhile.
func writeNew(path string, data []byte) (bool, error) {
	if _, err := os.Lstat(path); err == nil {
		return false, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".repair-")
	if err != nil {
		return false, fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return true, nil
}
