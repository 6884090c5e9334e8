package vault

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// checkLevel is how much of the file a page check reads.
type checkLevel int

const (
	checkQuick checkLevel = iota // meta pages, file size, root and freelist headers
	checkFull                    // every page, through every bucket's tree
)

// checkFile checks the closed vault file at path under a shared lock, so
// no writer changes it meanwhile; ErrInUse when one holds it past timeout.
func checkFile(path string, level checkLevel, timeout time.Duration) error {
	f, err := os.Open(path)
	if err != nil {
		return unwrapPath(err)
	}
	defer f.Close()
	if err := lockShared(f, timeout); err != nil {
		return err
	}
	return checkOpen(f, level)
}

// checkOpen checks the vault file f, which nobody writes meanwhile.
func checkOpen(f *os.File, level checkLevel) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return checkReader(f, fi.Size(), level)
}

// checkReader checks a vault file of size bytes read through r.
func checkReader(r io.ReaderAt, size int64, level checkLevel) error {
	pf, err := readMetas(r, size)
	if err != nil {
		var d *DamagedError
		if errors.As(err, &d) && d.Page == 0 && notBolt(r) {
			return ErrNotVault
		}
		return err
	}
	if err := pf.quick(); err != nil {
		return err
	}
	if level == checkFull {
		return pf.full()
	}
	return nil
}

// notBolt reports whether neither meta page carries bbolt's marker: a
// foreign file rather than a damaged vault.
func notBolt(f io.ReaderAt) bool {
	for _, off := range []int64{0, 4096, 8192, 16384, 32768, 65536} {
		b := make([]byte, pageHeaderSize+4)
		if _, err := f.ReadAt(b, off); err == nil && b[pageHeaderSize] == 0xED && b[pageHeaderSize+1] == 0xDA && b[pageHeaderSize+2] == 0x0C && b[pageHeaderSize+3] == 0xED {
			return false
		}
	}
	return true
}

// PageReport is the outcome of CheckPages.
type PageReport struct {
	Pages    uint64        // pages below the high-water mark
	PageSize int           // bytes
	Tree     int           // tree pages visited (branch, leaf and overflow heads)
	Took     time.Duration // wall time of the check
}

// CheckPages runs the full page check on the open vault: every page read
// once with plain reads and checked (meta pages, freelist, every bucket's
// tree, no page lost or shared), then bbolt's own Tx.Check. Writers wait
// meanwhile. Damage is returned as a *DamagedError, and the vault then
// refuses further use.
func (v *Bolt) CheckPages() (PageReport, error) {
	if err := v.dmg.get(); err != nil {
		return PageReport{}, err
	}
	start := time.Now()
	var rep PageReport
	err := v.guard(func() error {
		// A write transaction holds writers off; nothing reaches the file
		// until it commits, and it never does.
		if tx, err := v.db.Begin(true); err == nil {
			defer tx.Rollback()
		}
		f, err := os.Open(v.db.Path())
		if err != nil {
			return unwrapPath(err)
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		pf, err := readMetas(f, fi.Size())
		if err != nil {
			return err
		}
		w, err := pf.walk()
		if err != nil {
			return err
		}
		rep = PageReport{Pages: pf.m.hwm, PageSize: int(pf.m.pageSize), Tree: w.pages}
		return v.boltCheck()
	})
	if d := (*DamagedError)(nil); errors.As(err, &d) {
		v.dmg.set(d)
	}
	rep.Took = time.Since(start)
	return rep, err
}

// boltCheck runs bbolt's Tx.Check. It runs in a goroutine of bbolt's that
// no fault guard covers, so only after the page walk bounded every page.
func (v *Bolt) boltCheck() error {
	tx, err := v.db.Begin(false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var first error
	for err := range tx.Check(bolt.WithKVStringer(bolt.HexKVStringer())) {
		if first == nil {
			first = err
		}
	}
	if first != nil {
		if m := pageInPanic.FindStringSubmatch(first.Error()); m != nil {
			var p uint64
			fmt.Sscan(m[1], &p)
			return damagedAt(p, "%s", oneLine(first.Error()))
		}
		return &DamagedError{Reason: oneLine(first.Error())}
	}
	return nil
}
