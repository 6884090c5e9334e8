package home

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Create makes a new home at h.Dir holding cfg, a fresh API token and
// whatever fill writes (the vault), all or nothing: the files are written
// into a temporary sibling directory that is renamed into place only when
// every step succeeded. Create returns ErrExists, naming the directory,
// when h.Dir exists and is not empty; it then writes nothing.
func Create(h Home, cfg Config, fill func(tmp Home) error) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := checkFree(h.Dir); err != nil {
		return err
	}
	parent := filepath.Dir(h.Dir)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return fmt.Errorf("create home: %w", err)
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(h.Dir)+".init-")
	if err != nil {
		return fmt.Errorf("create home: %w", err)
	}
	if err := populate(Home{Dir: dir}, cfg, fill); err != nil {
		os.RemoveAll(dir)
		return err
	}
	os.Remove(h.Dir) // an empty directory only; os.Rename refuses to replace one
	if err := os.Rename(dir, h.Dir); err != nil {
		os.RemoveAll(dir)
		if errors.Is(err, os.ErrExist) || errors.Is(err, syscall.ENOTEMPTY) {
			return fmt.Errorf("%w: %s", ErrExists, h.Dir)
		}
		return fmt.Errorf("create home: %w", err)
	}
	return nil
}

func checkFree(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("home %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("%w: %s", ErrExists, dir)
	}
	return nil
}

func populate(tmp Home, cfg Config, fill func(Home) error) error {
	if err := os.Chmod(tmp.Dir, 0o700); err != nil {
		return fmt.Errorf("create home: %w", err)
	}
	text, err := cfg.Render()
	if err != nil {
		return fmt.Errorf("render config: %w", err)
	}
	if err := os.WriteFile(tmp.Config(), text, 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if err := os.WriteFile(tmp.Token(), []byte(NewToken()+"\n"), 0o600); err != nil {
		return fmt.Errorf("write api token: %w", err)
	}
	if fill != nil {
		return fill(tmp)
	}
	return nil
}
