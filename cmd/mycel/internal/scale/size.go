package scale

import (
	"fmt"
	"os"
	"path/filepath"
)

// Size is the shape of a built vault: Authors authors of PerAuthor entries
// each, beside the steward's entries and the home's own empty log.
type Size struct {
	Authors, PerAuthor int
}

// The sizes the scale table is measured at.
var (
	Size10k  = Size{Authors: 100, PerAuthor: 100}
	Size100k = Size{Authors: 1_000, PerAuthor: 100}
	Size1M   = Size{Authors: 10_000, PerAuthor: 100}
)

// Version names the layout of the built homes: a change to what Build
// writes must change it, so that no stale cache is reused.
const Version = 1

// Limits of a size: at least one author of each role, and a bound that
// keeps a mistyped size from filling the disk.
const (
	MinAuthors   = 20
	MaxEntries   = 20_000_000
	MinPerAuthor = 2
)

// Entries is the number of entries the authors write.
func (s Size) Entries() int { return s.Authors * s.PerAuthor }

func (s Size) String() string { return fmt.Sprintf("%dx%d", s.Authors, s.PerAuthor) }

func (s Size) check() error {
	if s.Authors < MinAuthors || s.PerAuthor < MinPerAuthor || s.Entries() > MaxEntries {
		return fmt.Errorf("scale size %s: want at least %d authors of %d entries, at most %d entries", s, MinAuthors, MinPerAuthor, MaxEntries)
	}
	return nil
}

// CacheDir is where the home of size s is cached:
// $TMPDIR/mycel-scale-<A>x<P>-v<Version>.
func CacheDir(s Size) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("mycel-scale-%s-v%d", s, Version))
}
