package vault_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// space is where a bbolt file's bytes go.
type space struct {
	file    int64 // the file's size
	used    int64 // the high-water mark: pages in use or free
	free    int64 // free and pending pages, in bytes
	pages   int   // page size
	buckets []bucketSpace
}

// bucketSpace is one top-level bucket's share of the file.
type bucketSpace struct {
	name                       string
	keys                       int
	leafAlloc, leafInuse       int
	branchAlloc, branchInuse   int
	inlineInuse                int
	leafPages, leafOverflow    int
	branchPages, branchOverflw int
}

func (b bucketSpace) alloc() int { return b.leafAlloc + b.branchAlloc }

// The bounds of TestVaultSpace at 10,000 entries of 100 authors; before
// the fills of logs and index were tuned the file's pages (its high-water
// mark) were x4.53 the entries' bytes and the index 328 B/entry.
const (
	maxUsedRatio    = 4.3
	maxIndex        = 220
	maxCompactRatio = 2.0
)

// bucket returns the named bucket's report; the zero report if none.
func (s space) bucket(name string) bucketSpace {
	for _, b := range s.buckets {
		if b.name == name {
			return b
		}
	}
	return bucketSpace{}
}

// measureSpace reads the space report of the closed bbolt file at path.
func measureSpace(t testing.TB, path string) space {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil) // read-write: a read-only open does not load the freelist
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := space{file: fi.Size(), pages: db.Info().PageSize}
	st := db.Stats()
	s.free = int64(st.FreePageN+st.PendingPageN) * int64(s.pages)
	err = db.View(func(tx *bolt.Tx) error {
		s.used = tx.Size()
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			bs := b.Stats()
			s.buckets = append(s.buckets, bucketSpace{
				name: string(name), keys: bs.KeyN,
				leafAlloc: bs.LeafAlloc, leafInuse: bs.LeafInuse,
				branchAlloc: bs.BranchAlloc, branchInuse: bs.BranchInuse,
				inlineInuse: bs.InlineBucketInuse,
				leafPages:   bs.LeafPageN, leafOverflow: bs.LeafOverflowN,
				branchPages: bs.BranchPageN, branchOverflw: bs.BranchOverflowN,
			})
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// onDisk is the file's allocated bytes (st_blocks); the file may be sparse.
func onDisk(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512
	}
	return fi.Size()
}

// table formats the report for n entries of total bytes.
func (s space) table(n int, total int64) string {
	var b strings.Builder
	per := func(x int64) string { return fmt.Sprintf("%6.0f B/entry", float64(x)/float64(n)) }
	fmt.Fprintf(&b, "%d entries, %d B each on average (%d B), page size %d\n", n, total/int64(n), total, s.pages)
	fmt.Fprintf(&b, "  file        %11d  %s  x%.2f\n", s.file, per(s.file), float64(s.file)/float64(total))
	fmt.Fprintf(&b, "  high water  %11d  %s  x%.2f\n", s.used, per(s.used), float64(s.used)/float64(total))
	fmt.Fprintf(&b, "  free pages  %11d  %s\n", s.free, per(s.free))
	fmt.Fprintf(&b, "  %-9s %8s %11s %14s %6s %11s %6s\n", "bucket", "keys", "alloc", "", "leaf%", "branch", "br%")
	for _, k := range s.buckets {
		fmt.Fprintf(&b, "  %-9s %8d %11d %s %5.1f%% %11d %5.1f%%\n", k.name, k.keys, k.alloc(), per(int64(k.alloc())),
			pct(k.leafInuse, k.leafAlloc), k.branchAlloc, pct(k.branchInuse, k.branchAlloc))
	}
	return b.String()
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// spaceN is the number of entries of TestVaultSpace: 10,000, or
// MYCEL_SPACE_N.
func spaceN(t *testing.T) int {
	n := 10_000
	if s := os.Getenv("MYCEL_SPACE_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1000 {
			t.Fatalf("MYCEL_SPACE_N=%q: want a number >= 1000", s)
		}
	}
	return n
}

// fillSpace fills a vault at dir/vault.db with n entries of the given
// number of authors (at least 100), in 1,000-entry batches of 10 entries
// each of 100 authors, and the same blocks into a raw bbolt file
// dir/raw.db (one bucket, CID -> bytes, default settings) in the same
// batches. It returns the entries' total bytes.
func fillSpace(t *testing.T, dir string, n, authors int) int64 {
	t.Helper()
	v, err := vault.Create(filepath.Join(dir, "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	raw, err := bolt.Open(filepath.Join(dir, "raw.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	f := newFiller(t, authors)
	var total int64
	for f.held < n {
		batch := f.batch(t)
		f.put(t, v, batch)
		if err := rawPut(raw, batch); err != nil {
			t.Fatal(err)
		}
		for _, b := range batch {
			total += int64(len(b.Data))
		}
	}
	return total
}

func rawPut(db *bolt.DB, batch []protocol.Block) error {
	return db.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists([]byte("blocks"))
		if err != nil {
			return err
		}
		for _, b := range batch {
			if err := bk.Put(b.CID.Bytes(), b.Data); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestVaultSpace reports where a vault's bytes go, bucket by bucket,
// against a raw bbolt file of the same blocks filled in the same run, for
// 1,000 authors (10 entries each at 10,000) and 100 authors (100 each).
// At 10,000 entries of 100 authors the file's pages must stay within
// maxUsedRatio of the entries' bytes and the index within maxIndex bytes
// per entry, and within maxCompactRatio once compacted
// (docs/PERFORMANCE.md, "Vault on disk").
func TestVaultSpace(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a vault")
	}
	n := spaceN(t)
	for _, authors := range []int{1000, 100} {
		t.Run(fmt.Sprintf("%d-authors", authors), func(t *testing.T) {
			dir := t.TempDir()
			total := fillSpace(t, dir, n, authors)
			vs, rs := measureSpace(t, filepath.Join(dir, "vault.db")), measureSpace(t, filepath.Join(dir, "raw.db"))
			t.Logf("vault: %s  allocated %d B (%.0f B/entry)", vs.table(n, total), onDisk(t, filepath.Join(dir, "vault.db")), float64(onDisk(t, filepath.Join(dir, "vault.db")))/float64(n))
			t.Logf("raw bbolt: %s", rs.table(n, total))
			start := time.Now()
			c, err := vault.Compact(filepath.Join(dir, "vault.db"), vault.Options{})
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			cs := measureSpace(t, filepath.Join(dir, "vault.db"))
			t.Logf("compacted vault in %v: %s", took.Round(time.Millisecond), cs.table(n, total))
			if n != 10_000 || authors != 100 {
				return
			}
			if r := float64(c.After) / float64(total); r > maxCompactRatio {
				t.Errorf("compacted file is x%.2f the entries' bytes, want <= x%.2f", r, maxCompactRatio)
			}
			if r := float64(vs.used) / float64(total); r > maxUsedRatio {
				t.Errorf("the file's pages are x%.2f the entries' bytes, want <= x%.2f", r, maxUsedRatio)
			}
			if per := vs.bucket("index").alloc() / n; per > maxIndex {
				t.Errorf("index takes %d B/entry, want <= %d", per, maxIndex)
			}
		})
	}
}
