package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"
	bolterr "go.etcd.io/bbolt/errors"
)

// Options configure Create and Open. The zero value works: no passphrase,
// a one-second wait for the file lock, read-write.
type Options struct {
	// Passphrase encrypts the identity key on Create (age, scrypt) and
	// decrypts it on Open. Nil: the key is stored unencrypted in the 0600 file.
	Passphrase []byte
	// Timeout bounds the wait for the file lock; default 1s. When it
	// expires, Open fails with ErrInUse.
	Timeout time.Duration
	// ReadOnly opens with a shared lock and refuses writes. A read-only
	// vault whose key is encrypted opens without a passphrase; Key is nil.
	ReadOnly bool
	// KeyOptional opens read-write even when the key is encrypted and no
	// passphrase is given; Key is then nil. For upkeep that writes no
	// entry (marks).
	KeyOptional bool
	// WorkFactor is the scrypt work factor, log2 N, for a new encrypted
	// key; default 18 (about a second).
	WorkFactor int
	// Quota bounds the entries kept past a gap; zero fields take defaults.
	Quota Quota
	// Now is the clock for pending records and Sweep; default time.Now.
	Now func() time.Time
	// FullCheckMax is the largest file Open gives the full page check
	// (every page read once); larger files get the quick check only (meta
	// pages, file size, root and freelist pages). Zero takes
	// DefaultFullCheckMax; negative: the quick check always.
	FullCheckMax int64
}

// DefaultFullCheckMax is the default Options.FullCheckMax: 32 MiB, about
// 25,000 entries, checked in a few tens of milliseconds (docs/PERFORMANCE.md).
const DefaultFullCheckMax = 32 << 20

func (o Options) withDefaults() (Options, error) {
	if o.Timeout == 0 {
		o.Timeout = time.Second
	}
	if o.WorkFactor == 0 {
		o.WorkFactor = 18
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FullCheckMax == 0 {
		o.FullCheckMax = DefaultFullCheckMax
	}
	o.Quota = o.Quota.withDefaults()
	switch {
	case o.Timeout < 0:
		return o, errors.New("negative lock timeout")
	case o.WorkFactor < 1 || o.WorkFactor > 30:
		return o, fmt.Errorf("scrypt work factor %d out of 1..30", o.WorkFactor)
	case o.Passphrase != nil && len(o.Passphrase) == 0:
		return o, errors.New("empty passphrase")
	case o.Quota.Ahead < 1 || o.Quota.PerAuthor < 1 || o.Quota.Total < 1 || o.Quota.Bytes < 1 || o.Quota.TTL <= 0:
		return o, errors.New("negative pending quota")
	}
	return o, nil
}

// Bolt is a vault in one bbolt file. It is safe for concurrent use.
type Bolt struct {
	db   *bolt.DB
	opt  Options        // with defaults
	key  crypto.PrivKey // nil in a read-only vault opened without passphrase
	id   peer.ID
	once sync.Once
	err  error
	dmg  *damage
}

var _ Store = (*Bolt)(nil)

// Create makes a new vault file at path with a fresh Ed25519 identity. It
// fails if the file exists.
func Create(path string, opt Options) (*Bolt, error) {
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		return nil, fmt.Errorf("vault: create %s: %w", path, err)
	}
	return CreateWithKey(path, key, opt)
}

// CreateWithKey is Create with a given identity key, for tests and demos.
func CreateWithKey(path string, key crypto.PrivKey, opt Options) (*Bolt, error) {
	v, err := create(path, key, opt)
	if err != nil {
		return nil, fmt.Errorf("vault: create %s: %w", path, err)
	}
	return v, nil
}

func create(path string, key crypto.PrivKey, opt Options) (*Bolt, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if opt.ReadOnly {
		return nil, errors.New("cannot create a read-only vault")
	}
	rec, id, err := sealKey(key, opt)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, unwrapPath(err)
	}
	f.Close()
	db, err := openDB(path, opt)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	if err := db.Update(func(tx *bolt.Tx) error { return initMeta(tx, id, rec) }); err != nil {
		db.Close()
		os.Remove(path)
		return nil, err
	}
	return &Bolt{db: db, opt: opt, key: key, id: id, dmg: newDamage()}, nil
}

// Open opens the vault at path. It fails with an error wrapping
// fs.ErrNotExist when there is none, ErrInUse when another process holds
// it, ErrNotVault for a foreign file, ErrLocked when the key is encrypted
// and no passphrase is given, and ErrBadPass for a wrong passphrase.
func Open(path string, opt Options) (*Bolt, error) {
	v, err := openLatest(path, opt)
	if err != nil {
		return nil, fmt.Errorf("vault: open %s: %w", path, err)
	}
	return v, nil
}

// openLatest is open, tried again while the file is replaced meanwhile.
func openLatest(path string, opt Options) (*Bolt, error) {
	v, err := open(path, opt)
	for try := 1; errors.Is(err, errReplaced) && try < 3; try++ {
		v, err = open(path, opt)
	}
	return v, err
}

func open(path string, opt Options) (*Bolt, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no vault file: %w", fs.ErrNotExist)
	}
	if err != nil {
		return nil, unwrapPath(err)
	}
	if fi.Size() == 0 {
		return nil, ErrNotVault // bbolt would initialise an empty file
	}
	level := checkFull
	if opt.FullCheckMax < 0 || fi.Size() > opt.FullCheckMax {
		level = checkQuick
	}
	if err := checkFile(path, level, opt.Timeout); err != nil {
		return nil, err
	}
	dmg := newDamage()
	var db *bolt.DB
	err = dmg.run(func() (uintptr, int) { return 0, 0 }, func() error {
		var err error
		db, err = openDB(path, opt)
		return err
	})
	if err != nil {
		return nil, locate(path, level, opt.Timeout, err)
	}
	v := &Bolt{db: db, opt: opt, dmg: dmg}
	err = v.view(func(tx *bolt.Tx) error {
		var err error
		v.id, v.key, err = readKey(tx, opt)
		return err
	})
	if err != nil {
		db.Close()
		return nil, locate(path, level, opt.Timeout, err)
	}
	if now, err := os.Stat(path); err != nil || !os.SameFile(fi, now) {
		db.Close()
		return nil, errReplaced
	}
	return v, nil
}

// errReplaced: the file at the path was replaced (by Compact) while open
// waited for its lock, so the lock it got is on the old file; Open tries
// again.
var errReplaced = errors.New("vault file replaced while opening")

// locate turns damage that bbolt met at an unknown place, after only the
// quick check ran, into the full page check's answer, which names the
// page; any other error is returned as it is.
func locate(path string, level checkLevel, timeout time.Duration, err error) error {
	var d *DamagedError
	if level != checkQuick || !errors.As(err, &d) || d.Known {
		return err
	}
	var full *DamagedError
	if errors.As(checkFile(path, checkFull, timeout), &full) {
		return full
	}
	return err
}

func openDB(path string, opt Options) (*bolt.DB, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly})
	switch {
	case errors.Is(err, bolterr.ErrTimeout):
		return nil, ErrInUse
	case errors.Is(err, bolterr.ErrInvalid), errors.Is(err, bolterr.ErrVersionMismatch):
		return nil, ErrNotVault
	case err != nil:
		return nil, err
	}
	return db, nil
}

// unwrapPath drops the *fs.PathError wrapper, whose path the caller names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Key returns the identity key; nil in a read-only vault opened without
// the passphrase of an encrypted key.
func (v *Bolt) Key() crypto.PrivKey { return v.key }

// ID returns the identity's peer ID.
func (v *Bolt) ID() peer.ID { return v.id }

// Close closes the file. It is safe to call more than once.
func (v *Bolt) Close() error {
	v.once.Do(func() {
		if v.dmg.get() == nil {
			v.err = v.db.Close()
			return
		}
		// A fault may have left one of bbolt's locks held: close in the
		// background and give up waiting, the file is lost anyway.
		done := make(chan error, 1)
		go func() { done <- v.db.Close() }()
		select {
		case v.err = <-done:
		case <-time.After(closeWait):
			v.err = v.dmg.get()
		}
	})
	return v.err
}

// closeWait bounds Close of a damaged vault.
const closeWait = time.Second

// Path returns the vault file's path.
func (v *Bolt) Path() string { return v.db.Path() }
