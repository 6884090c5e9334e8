package vault

import (
	"bytes"
	"crypto/ed25519"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"
)

// Key record schemes: the first byte of meta "key".
const (
	keyPlain = 0x00 // libp2p-marshalled private key
	keyAge   = 0x01 // the same bytes, age-encrypted to a scrypt recipient
)

// sealKey returns the key record to store and the key's peer ID.
func sealKey(key crypto.PrivKey, opt Options) ([]byte, peer.ID, error) {
	if key == nil || key.Type() != crypto.Ed25519 {
		return nil, "", errors.New("identity key must be Ed25519")
	}
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return nil, "", err
	}
	raw, err := crypto.MarshalPrivateKey(key)
	if err != nil {
		return nil, "", err
	}
	if opt.Passphrase == nil {
		return append([]byte{keyPlain}, raw...), id, nil
	}
	r, err := age.NewScryptRecipient(string(opt.Passphrase))
	if err != nil {
		return nil, "", err
	}
	r.SetWorkFactor(opt.WorkFactor)
	buf := bytes.NewBuffer([]byte{keyAge})
	w, err := age.Encrypt(buf, r)
	if err != nil {
		return nil, "", fmt.Errorf("encrypt key: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		return nil, "", fmt.Errorf("encrypt key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, "", fmt.Errorf("encrypt key: %w", err)
	}
	return buf.Bytes(), id, nil
}

// initMeta creates every bucket and writes the format, ID and key record.
func initMeta(tx *bolt.Tx, id peer.ID, rec []byte) error {
	for _, name := range append(allBuckets, bWaiting) {
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	m := tx.Bucket(bMeta)
	if err := m.Put([]byte("format"), []byte{formatVersion}); err != nil {
		return err
	}
	if err := m.Put([]byte("id"), []byte(id)); err != nil {
		return err
	}
	return m.Put([]byte("key"), rec)
}

// readKey checks the format and returns the identity, decrypting the key.
func readKey(tx *bolt.Tx, opt Options) (peer.ID, crypto.PrivKey, error) {
	m := tx.Bucket(bMeta)
	if m == nil {
		return "", nil, ErrNotVault
	}
	if f := m.Get([]byte("format")); len(f) != 1 || f[0] != formatVersion {
		return "", nil, fmt.Errorf("%w: unknown format %x", ErrNotVault, f)
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			return "", nil, fmt.Errorf("%w: no %s bucket", ErrNotVault, name)
		}
	}
	id := peer.ID(bytes.Clone(m.Get([]byte("id"))))
	rec := m.Get([]byte("key"))
	if len(rec) == 0 || id == "" {
		return "", nil, ErrNoKey
	}
	raw, err := unsealKey(rec, opt.Passphrase)
	if errors.Is(err, ErrLocked) && (opt.ReadOnly || opt.KeyOptional) {
		return id, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	key, err := crypto.UnmarshalPrivateKey(raw)
	if err != nil {
		return "", nil, fmt.Errorf("%w: key: %v", ErrCorrupt, err)
	}
	if !id.MatchesPrivateKey(key) {
		return "", nil, fmt.Errorf("%w: key does not match id %s", ErrCorrupt, id)
	}
	if err := checkSeed(key); err != nil {
		return "", nil, err
	}
	return id, key, nil
}

// checkSeed reports whether key's seed derives its stored public half:
// libp2p keeps an Ed25519 key as seed||public and signs with the seed, so
// a damaged seed beside an intact public key would sign entries that no
// peer accepts.
func checkSeed(key crypto.PrivKey) error {
	raw, err := key.Raw()
	if err != nil || len(raw) != ed25519.PrivateKeySize {
		return fmt.Errorf("%w: key is not an Ed25519 seed and public key", ErrCorrupt)
	}
	derived := ed25519.NewKeyFromSeed(raw[:ed25519.SeedSize])
	if subtle.ConstantTimeCompare(derived[ed25519.SeedSize:], raw[ed25519.SeedSize:]) != 1 {
		return fmt.Errorf("%w: identity key seed is damaged (its public key does not derive from it): restore the home from a backup", ErrCorrupt)
	}
	return nil
}

func unsealKey(rec, pass []byte) ([]byte, error) {
	switch rec[0] {
	case keyPlain:
		return bytes.Clone(rec[1:]), nil
	case keyAge:
		if pass == nil {
			return nil, ErrLocked
		}
		ident, err := age.NewScryptIdentity(string(pass))
		if err != nil {
			return nil, err
		}
		r, err := age.Decrypt(bytes.NewReader(rec[1:]), ident)
		if errors.Is(err, age.ErrIncorrectIdentity) {
			return nil, ErrBadPass
		}
		if err != nil {
			return nil, fmt.Errorf("%w: key: %v", ErrCorrupt, err)
		}
		return io.ReadAll(r)
	}
	return nil, fmt.Errorf("%w: key scheme %#x", ErrCorrupt, rec[0])
}
