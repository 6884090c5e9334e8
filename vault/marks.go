package vault

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Mark names a fact about the vault's history, kept in the meta bucket
// under "mark/<name>" as the unix seconds it happened.
type Mark string

// Marks the vault keeps.
const (
	// MarkRestored: the vault came from a backup or a key import, and no
	// peer has confirmed its own log's head yet; the node refuses to write
	// its own log until one has (see docs/PROTOCOL.md, "Restored homes").
	MarkRestored Mark = "restored"
	// MarkBackup: the last `mycel backup` that was written whole.
	MarkBackup Mark = "backup"
	// MarkKeyExport: the last `mycel key export`.
	MarkKeyExport Mark = "key_export"
)

func markKey(m Mark) []byte { return []byte("mark/" + string(m)) }

// Marks returns when each mark was set; a mark not set is absent.
func (v *Bolt) Marks() (map[Mark]time.Time, error) {
	out := map[Mark]time.Time{}
	err := v.view(func(tx *bolt.Tx) error {
		m := tx.Bucket(bMeta)
		for _, k := range []Mark{MarkRestored, MarkBackup, MarkKeyExport} {
			if b := m.Get(markKey(k)); len(b) == 8 {
				out[k] = time.Unix(int64(binary.BigEndian.Uint64(b)), 0)
			}
		}
		return nil
	})
	return out, err
}

// SetMark records m at t; the zero t clears it.
func (v *Bolt) SetMark(m Mark, t time.Time) error {
	if v.opt.ReadOnly {
		return fmt.Errorf("vault: mark %s: the vault is open read-only", m)
	}
	return v.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta)
		if t.IsZero() {
			return b.Delete(markKey(m))
		}
		return b.Put(markKey(m), binary.BigEndian.AppendUint64(nil, uint64(t.Unix())))
	})
}

// Restored reports whether the vault is marked restored: its own log's
// head is not confirmed by a peer yet.
func (v *Bolt) Restored() (bool, error) {
	m, err := v.Marks()
	_, ok := m[MarkRestored]
	return ok, err
}

// ConfirmHead clears the restored mark: a peer confirmed the head, or the
// user said no other copy of the home exists.
func (v *Bolt) ConfirmHead() error { return v.SetMark(MarkRestored, time.Time{}) }

// Backup writes a consistent copy of the whole vault file to w from one
// read transaction (bbolt's Tx.WriteTo): writers go on meanwhile. The copy
// holds the identity key as the vault stores it.
func (v *Bolt) Backup(w io.Writer) (int64, error) {
	var n int64
	err := v.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// KeyEncrypted reports whether the identity key is stored encrypted.
func (v *Bolt) KeyEncrypted() (bool, error) {
	var enc bool
	err := v.view(func(tx *bolt.Tx) error {
		rec := tx.Bucket(bMeta).Get([]byte("key"))
		if len(rec) == 0 {
			return ErrNoKey
		}
		enc = rec[0] == keyAge
		return nil
	})
	return enc, err
}

// SetPassphrase re-encrypts the identity key with pass (nil: stores it
// unencrypted) in one transaction: the old record stays until the new one
// is committed whole. The vault must be open read-write with its key.
func (v *Bolt) SetPassphrase(pass []byte, workFactor int) error {
	if v.key == nil || v.opt.ReadOnly {
		return fmt.Errorf("vault: set passphrase: %w", ErrLocked)
	}
	opt := v.opt
	opt.Passphrase = pass
	if workFactor > 0 {
		opt.WorkFactor = workFactor
	}
	if pass != nil && len(pass) == 0 {
		return fmt.Errorf("vault: set passphrase: empty passphrase")
	}
	rec, _, err := sealKey(v.key, opt)
	if err != nil {
		return fmt.Errorf("vault: set passphrase: %w", err)
	}
	return v.update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put([]byte("key"), rec) })
}
