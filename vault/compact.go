package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Compacted reports what Compact did.
type Compacted struct {
	Before, After int64 // the file's size in bytes
	// Free is the bytes of free pages the old file held, which bbolt keeps
	// for reuse rather than returning to the file system.
	Free int64
}

// compactTxMax bounds the bytes of keys and values Compact writes per
// transaction of the new file, which bbolt holds in memory until commit.
const compactTxMax = 16 << 20

// compactSuffix starts the name of the new file while Compact writes it,
// next to the vault: vault.db.compact-RANDOM.
const compactSuffix = ".compact-"

// compactFault, when set (by tests), is called at each step of Compact
// after the copy starts; an error it returns fails the compaction there.
var compactFault func(step string) error

// ErrNoSpace is returned by Compact when the file system has less room
// next to the vault than the new file may take.
var ErrNoSpace = errors.New("not enough free space next to the vault")

// Compact rewrites the vault file at path into a new file without its
// free pages and with full pages (bbolt's Compact), then puts it in place
// of the old one with an atomic rename. It holds the vault's lock all the
// while: it fails with ErrInUse when another process, such as a running
// daemon, holds the vault. On an error or a crash the old file stays as it
// was; a new file left by a crash is removed by the next Compact. The
// vault needs no passphrase (opt.Passphrase is ignored): the key record is
// copied as it is stored. It fails with ErrNoSpace when the file system
// has less free space than the old file's pages.
func Compact(path string, opt Options) (Compacted, error) {
	c, err := compact(path, opt)
	if err != nil {
		return Compacted{}, fmt.Errorf("vault: compact %s: %w", path, err)
	}
	return c, nil
}

func compact(path string, opt Options) (Compacted, error) {
	opt.ReadOnly, opt.KeyOptional, opt.Passphrase = false, true, nil
	v, err := openLatest(path, opt)
	if err != nil {
		return Compacted{}, err
	}
	defer v.Close()
	removeStale(path)
	var out Compacted
	var size, pageSize int64
	err = v.view(func(tx *bolt.Tx) error {
		size, pageSize = tx.Size(), int64(v.db.Info().PageSize)
		return nil
	})
	if err != nil {
		return out, err
	}
	st := v.db.Stats()
	out.Free = int64(st.FreePageN+st.PendingPageN) * pageSize
	if out.Before, err = fileSize(path); err != nil {
		return out, err
	}
	if free, ok := freeBytes(filepath.Dir(path)); ok && free < size {
		return out, fmt.Errorf("%w: compaction needs up to %d bytes, %d free", ErrNoSpace, size, free)
	}
	tmp, err := v.copyTo(path, int(pageSize))
	if err != nil {
		return out, err
	}
	if err := replace(tmp, path); err != nil {
		os.Remove(tmp)
		return out, err
	}
	out.After, err = fileSize(path)
	return out, err
}

// copyTo writes the compacted copy of v into a new synced file next to
// path and returns its name; on an error it removes the file.
func (v *Bolt) copyTo(path string, pageSize int) (_ string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+compactSuffix+"*")
	if err != nil {
		return "", unwrapPath(err)
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	// One sync at the end instead of one per commit and growth; the file
	// grows page by page, so it ends at its last page.
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{NoSync: true, NoGrowSync: true, PageSize: pageSize})
	if err != nil {
		return "", err
	}
	dst.AllocSize = pageSize
	defer func() {
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
	}()
	if err := v.guard(func() error { return bolt.Compact(dst, v.db, compactTxMax) }); err != nil {
		return "", fmt.Errorf("copy: %w", err)
	}
	if err := fault("copied"); err != nil {
		return "", err
	}
	if err := v.sameKeys(dst); err != nil {
		return "", err
	}
	if err := dst.Sync(); err != nil {
		return "", err
	}
	return tmp, fault("synced")
}

// sameKeys checks that dst holds the top-level buckets of v with as many
// keys each.
func (v *Bolt) sameKeys(dst *bolt.DB) error {
	var want map[string]int
	if err := v.view(func(tx *bolt.Tx) error { want = keyCounts(tx); return nil }); err != nil {
		return err
	}
	return dst.View(func(tx *bolt.Tx) error {
		got := keyCounts(tx)
		for name, n := range want {
			if got[name] != n {
				return fmt.Errorf("copy has %d keys in %s, the vault %d", got[name], name, n)
			}
		}
		if len(got) != len(want) {
			return fmt.Errorf("copy has %d buckets, the vault %d", len(got), len(want))
		}
		return nil
	})
}

func keyCounts(tx *bolt.Tx) map[string]int {
	n := map[string]int{}
	tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		n[string(name)] = b.Stats().KeyN
		return nil
	})
	return n
}

// replace renames tmp over path and syncs the directory, so that the
// rename outlives a crash.
func replace(tmp, path string) error {
	if err := fault("rename"); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return unwrapPath(err)
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return nil // renamed; the directory cannot be synced here
	}
	defer d.Close()
	d.Sync()
	return nil
}

// removeStale removes the new files a crashed Compact of path left.
func removeStale(path string) {
	names, _ := filepath.Glob(filepath.Join(filepath.Dir(path), globEscape(filepath.Base(path))+compactSuffix+"*"))
	for _, n := range names {
		os.Remove(n)
	}
}

// globEscape escapes the pattern characters of filepath.Match in s.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`).Replace(s)
}

func fault(step string) error {
	if compactFault == nil {
		return nil
	}
	return compactFault(step)
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, unwrapPath(err)
	}
	return fi.Size(), nil
}
