package vault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
)

// The page check reads the bbolt file with plain reads (pread), never
// through the memory map, so a damaged file cannot fault it: every page
// offset, element and key is bounded before it is used. It knows bbolt's
// on-disk format (version 2), the one go.etcd.io/bbolt v1.x writes.

// bbolt's on-disk constants.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	elemSize       = 16 // branch and leaf elements are both 16 bytes
	inBucketSize   = 16 // root pgid, sequence
	metaSize       = 64 // magic .. checksum
	metaSumLen     = 56 // the checksum covers the bytes before it
	noFreelist     = ^uint64(0)

	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagMeta     = 0x04
	flagFreelist = 0x10
	leafBucket   = 0x01

	maxPageSize = 1 << 16 // bbolt takes the OS page size; none is larger
	maxDepth    = 64      // nested buckets and tree levels together
)

// ErrDamaged is wrapped by every *DamagedError.
var ErrDamaged = errors.New("vault.db is damaged")

// DamagedError says that the vault file's structure is broken and where.
// It wraps ErrDamaged and ErrCorrupt.
type DamagedError struct {
	Page   uint64 // the page found broken; meaningful when Known
	Known  bool   // false when a read ran off the file at an unknown place
	Reason string // what is wrong, in a few words
}

func (e *DamagedError) Error() string {
	if !e.Known {
		return fmt.Sprintf("vault.db is damaged (%s)", e.Reason)
	}
	return fmt.Sprintf("vault.db is damaged at page %d (%s)", e.Page, e.Reason)
}

// Is makes errors.Is(err, ErrDamaged) and errors.Is(err, ErrCorrupt) hold.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged || target == ErrCorrupt }

func damagedAt(page uint64, format string, args ...any) *DamagedError {
	return &DamagedError{Page: page, Known: true, Reason: fmt.Sprintf(format, args...)}
}

// meta is the part of a bbolt meta page the check uses.
type meta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	hwm      uint64 // high-water mark: pages [0, hwm) are in use or free
	txid     uint64
}

// parseMeta validates the meta record at the start of a meta page's body.
func parseMeta(page uint64, p []byte) (meta, error) {
	if len(p) < pageHeaderSize+metaSize {
		return meta{}, damagedAt(page, "meta page is cut short")
	}
	b := p[pageHeaderSize:]
	le := binary.LittleEndian
	if le.Uint32(b[0:]) != boltMagic {
		return meta{}, damagedAt(page, "meta page has no bbolt marker")
	}
	if le.Uint32(b[4:]) != boltVersion {
		return meta{}, damagedAt(page, "meta page names bbolt format %d", le.Uint32(b[4:]))
	}
	h := fnv.New64a()
	h.Write(b[:metaSumLen])
	if h.Sum64() != le.Uint64(b[metaSumLen:]) {
		return meta{}, damagedAt(page, "meta page checksum does not match")
	}
	m := meta{
		pageSize: le.Uint32(b[8:]),
		root:     le.Uint64(b[16:]),
		freelist: le.Uint64(b[32:]),
		hwm:      le.Uint64(b[40:]),
		txid:     le.Uint64(b[48:]),
	}
	switch {
	case m.pageSize < 512 || m.pageSize > maxPageSize || m.pageSize&(m.pageSize-1) != 0:
		return meta{}, damagedAt(page, "meta page names page size %d", m.pageSize)
	case m.hwm < 3 || m.root < 2 || m.root >= m.hwm:
		return meta{}, damagedAt(page, "meta page names root page %d of %d", m.root, m.hwm)
	case m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.hwm):
		return meta{}, damagedAt(page, "meta page names freelist page %d of %d", m.freelist, m.hwm)
	}
	return m, nil
}

// pageFile is the vault file as the check reads it.
type pageFile struct {
	r    io.ReaderAt
	size int64
	m    meta // the newer of the two meta pages
}

// readMetas reads and validates both meta pages and the file size. Both
// must be intact: bbolt writes a meta page in its first sector, which
// disks write whole, so a broken one means the medium is failing.
func readMetas(r io.ReaderAt, size int64) (*pageFile, error) {
	head := make([]byte, pageHeaderSize+metaSize)
	if _, err := r.ReadAt(head, 0); err != nil {
		return nil, damagedAt(0, "file is shorter than its first page")
	}
	m0, err := parseMeta(0, head)
	if err != nil {
		return nil, err
	}
	ps := int64(m0.pageSize)
	if size < 2*ps {
		return nil, damagedAt(1, "file ends before its second meta page")
	}
	if _, err := r.ReadAt(head, ps); err != nil {
		return nil, damagedAt(1, "second meta page unreadable: %v", err)
	}
	m1, err := parseMeta(1, head)
	if err != nil {
		return nil, err
	}
	if m1.pageSize != m0.pageSize {
		return nil, damagedAt(1, "meta pages disagree on the page size")
	}
	m := m0
	if m1.txid > m0.txid {
		m = m1
	}
	if m.hwm > uint64(size/ps) { // compared in pages: hwm*ps could overflow
		return nil, damagedAt(uint64(size/ps), "file ends at page %d but its pages reach %d", size/ps, m.hwm)
	}
	return &pageFile{r: r, size: size, m: m}, nil
}

// page reads page id with its overflow pages and checks its header.
func (f *pageFile) page(id uint64) ([]byte, error) {
	ps := int64(f.m.pageSize)
	if id >= f.m.hwm {
		return nil, damagedAt(id, "page past the high-water mark %d", f.m.hwm)
	}
	buf := make([]byte, ps)
	if _, err := f.r.ReadAt(buf, int64(id)*ps); err != nil {
		return nil, damagedAt(id, "unreadable: %v", err)
	}
	if got := binary.LittleEndian.Uint64(buf); got != id {
		return nil, damagedAt(id, "page calls itself page %d", got)
	}
	over := uint64(binary.LittleEndian.Uint32(buf[12:]))
	if over > 0 {
		if id+over >= f.m.hwm {
			return nil, damagedAt(id, "overflow of %d pages runs past the high-water mark", over)
		}
		full := make([]byte, int64(over+1)*ps)
		if _, err := f.r.ReadAt(full, int64(id)*ps); err != nil {
			return nil, damagedAt(id, "unreadable: %v", err)
		}
		buf = full
	}
	return buf, nil
}

// quick checks the meta pages, the file size against the high-water mark
// and the headers of the root and freelist pages: a few reads.
func (f *pageFile) quick() error {
	p, err := f.page(f.m.root)
	if err != nil {
		return err
	}
	if fl := p[8]; fl != flagBranch && fl != flagLeaf {
		return damagedAt(f.m.root, "root page has type %#x", fl)
	}
	if f.m.freelist == noFreelist {
		return nil
	}
	p, err = f.page(f.m.freelist)
	if err != nil {
		return err
	}
	if p[8] != flagFreelist {
		return damagedAt(f.m.freelist, "freelist page has type %#x", p[8])
	}
	return nil
}

// walker is the state of a full page check.
type walker struct {
	f     *pageFile
	used  []bool // reachable from the root or the freelist
	free  []bool // on the freelist
	pages int    // tree pages visited
}

// full checks every page: the freelist, then every bucket's tree from
// the root (headers, element bounds, key order, child pages), then that
// every page below the high-water mark is in use or free.
func (f *pageFile) full() error {
	_, err := f.walk()
	return err
}

func (f *pageFile) walk() (*walker, error) {
	w := &walker{f: f, used: make([]bool, f.m.hwm), free: make([]bool, f.m.hwm)}
	w.used[0], w.used[1] = true, true
	if err := w.freelist(); err != nil {
		return nil, err
	}
	if err := w.tree(f.m.root, 0); err != nil {
		return nil, err
	}
	for id := uint64(2); id < f.m.hwm; id++ {
		if !w.used[id] && !w.free[id] {
			return nil, damagedAt(id, "page is neither in use nor free")
		}
	}
	return w, nil
}

func (w *walker) freelist() error {
	id := w.f.m.freelist
	if id == noFreelist {
		for i := range w.free {
			w.free[i] = true // no freelist kept: cannot tell, do not flag
		}
		return nil
	}
	p, err := w.f.page(id)
	if err != nil {
		return err
	}
	if p[8] != flagFreelist {
		return damagedAt(id, "freelist page has type %#x", p[8])
	}
	if err := w.mark(id, p); err != nil {
		return err
	}
	le := binary.LittleEndian
	start, n := pageHeaderSize, uint64(le.Uint16(p[10:]))
	if n == 0xFFFF {
		n = le.Uint64(p[pageHeaderSize:])
		start += 8
	}
	if n > uint64(len(p)-start)/8 {
		return damagedAt(id, "freelist names %d pages, more than it holds", n)
	}
	for i := range n {
		free := le.Uint64(p[start+int(i)*8:])
		switch {
		case free < 2 || free >= w.f.m.hwm:
			return damagedAt(id, "freelist names page %d of %d", free, w.f.m.hwm)
		case w.free[free]:
			return damagedAt(free, "freed twice")
		}
		w.free[free] = true
	}
	return nil
}

// mark records page id and its overflow as reachable.
func (w *walker) mark(id uint64, p []byte) error {
	n := uint64(len(p)) / uint64(w.f.m.pageSize)
	for i := id; i < id+n; i++ {
		switch {
		case w.used[i]:
			return damagedAt(i, "page is referenced twice")
		case w.free[i]:
			return damagedAt(i, "page is in use and on the freelist")
		}
		w.used[i] = true
	}
	return nil
}

// tree checks the bucket tree rooted at page id.
func (w *walker) tree(id uint64, depth int) error {
	if depth > maxDepth {
		return damagedAt(id, "tree deeper than %d levels", maxDepth)
	}
	p, err := w.f.page(id)
	if err != nil {
		return err
	}
	if err := w.mark(id, p); err != nil {
		return err
	}
	w.pages++
	return w.elements(id, p, depth)
}

// elements checks the elements of a branch or leaf page p (a page of the
// file, or an inline bucket's page when id names its parent page) and
// descends into child pages and sub-buckets.
func (w *walker) elements(id uint64, p []byte, depth int) error {
	le := binary.LittleEndian
	flags, count := p[8], int(le.Uint16(p[10:]))
	if flags != flagBranch && flags != flagLeaf {
		return damagedAt(id, "tree page has type %#x", flags)
	}
	if pageHeaderSize+count*elemSize > len(p) {
		return damagedAt(id, "%d elements do not fit the page", count)
	}
	if flags == flagBranch && count == 0 {
		return damagedAt(id, "branch page with no elements")
	}
	var prev []byte
	for i := range count {
		at := pageHeaderSize + i*elemSize
		e := p[at : at+elemSize]
		var pos, ksize, vsize uint64
		if flags == flagBranch {
			pos, ksize = uint64(le.Uint32(e[0:])), uint64(le.Uint32(e[4:]))
		} else {
			pos, ksize, vsize = uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		}
		start := uint64(at) + pos
		if start+ksize+vsize > uint64(len(p)) {
			return damagedAt(id, "element %d runs off the page", i)
		}
		key := p[start : start+ksize]
		if i > 0 && bytes.Compare(prev, key) >= 0 {
			return damagedAt(id, "keys out of order at element %d", i)
		}
		prev = key
		if flags == flagBranch {
			if err := w.tree(le.Uint64(e[8:]), depth+1); err != nil {
				return err
			}
			continue
		}
		if le.Uint32(e[0:])&leafBucket == 0 {
			continue
		}
		val := p[start+ksize : start+ksize+vsize]
		if len(val) < inBucketSize {
			return damagedAt(id, "bucket %q has a %d-byte header", key, len(val))
		}
		if root := le.Uint64(val); root != 0 {
			if err := w.tree(root, depth+1); err != nil {
				return err
			}
			continue
		}
		inline := val[inBucketSize:]
		if len(inline) < pageHeaderSize {
			return damagedAt(id, "inline bucket %q is cut short", key)
		}
		if err := w.elements(id, inline, depth+1); err != nil {
			return err
		}
	}
	return nil
}
