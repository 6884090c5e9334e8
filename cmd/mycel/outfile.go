package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

// homeFiles are the files of a home that no command's output may replace:
// writing a bundle, backup or key export over one of them would destroy
// the identity, the config or the daemon's way in.
var homeFiles = []string{home.VaultFile, home.ConfigFile, home.TokenFile, home.APIFile, home.LockFile}

// checkOutput refuses an output path ("-" is stdout, always fine) that
// names one of this home's own files, by path or, when it exists, as the
// same file under another name (a link, a relative path).
func (a *app) checkOutput(path string) error {
	if path == stdio {
		return nil
	}
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return nil // no home to protect; the command says what is wrong with it
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	dir, err := filepath.Abs(h.Dir)
	if err != nil {
		return nil
	}
	target, statErr := os.Stat(abs)
	for _, name := range homeFiles {
		own := filepath.Join(dir, name)
		same := filepath.Clean(abs) == filepath.Clean(own)
		if !same && statErr == nil {
			if fi, err := os.Stat(own); err == nil {
				same = os.SameFile(target, fi)
			}
		}
		if same {
			return withRemedy(fmt.Errorf("%s is this home's own %s: writing there would destroy it", path, name),
				"write to a file outside the home, best on another device (- for stdout)")
		}
	}
	return nil
}
