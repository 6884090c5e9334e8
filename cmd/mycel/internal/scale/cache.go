package scale

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

// staleBuild is the age past which a build directory left in the cache
// is taken for the remains of a killed build and removed.
const staleBuild = 6 * time.Hour

const manifestFile = "manifest.json"

// Built is a home in the cache and its manifest.
type Built struct {
	Home     home.Home
	Manifest Manifest
	Reused   bool // found in the cache; false: built by this call
}

// Cached returns the home of size s from CacheDir(s), building it first
// when the cache holds none. A build is written into a temporary sibling
// and renamed into place with its manifest, so that a killed build is
// never taken for a complete one.
func Cached(s Size) (Built, error) {
	if err := s.check(); err != nil {
		return Built{}, err
	}
	dir := CacheDir(s)
	if b, err := load(dir, s); err == nil {
		b.Reused = true
		return b, nil
	}
	sweep(dir)
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".build-")
	if err != nil {
		return Built{}, fmt.Errorf("scale cache: %w", err)
	}
	defer os.RemoveAll(tmp) // nothing left once renamed
	m, err := Build(filepath.Join(tmp, "home"), s)
	if err != nil {
		return Built{}, err
	}
	if err := writeManifest(filepath.Join(tmp, manifestFile), m); err != nil {
		return Built{}, fmt.Errorf("scale cache: %w", err)
	}
	os.RemoveAll(dir) // an incomplete or mismatched entry: load refused it
	if err := os.Rename(tmp, dir); err != nil {
		if b, lerr := load(dir, s); lerr == nil { // another build won the race
			return b, nil
		}
		return Built{}, fmt.Errorf("scale cache: %w", err)
	}
	return load(dir, s)
}

// load reads a complete cached home of size s at dir.
func load(dir string, s Size) (Built, error) {
	m, err := readManifest(filepath.Join(dir, manifestFile))
	if err != nil {
		return Built{}, err
	}
	if m.Size != s {
		return Built{}, fmt.Errorf("cached home %s is of size %s, want %s", dir, m.Size, s)
	}
	h := home.Home{Dir: filepath.Join(dir, "home")}
	for _, f := range []string{h.Config(), h.Token(), h.Vault()} {
		if _, err := os.Stat(f); err != nil {
			return Built{}, err
		}
	}
	return Built{Home: h, Manifest: m}, nil
}

// sweep removes the build directories of dir that a killed build left.
func sweep(dir string) {
	matches, _ := filepath.Glob(dir + ".build-*")
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && time.Since(fi.ModTime()) > staleBuild && strings.HasPrefix(filepath.Base(m), filepath.Base(dir)) {
			os.RemoveAll(m)
		}
	}
}

// Copy writes a copy of the home to dst, a new directory, and returns it:
// a daemon writes to its home, and the cached one must stay as built.
func (b Built) Copy(dst string) (home.Home, error) {
	h := home.Home{Dir: dst}
	if err := os.Mkdir(dst, 0o700); err != nil {
		return h, fmt.Errorf("copy scale home: %w", err)
	}
	for _, name := range []string{home.ConfigFile, home.TokenFile, home.VaultFile} {
		if err := copyFile(filepath.Join(b.Home.Dir, name), filepath.Join(dst, name)); err != nil {
			return h, fmt.Errorf("copy scale home: %w", err)
		}
	}
	return h, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}
