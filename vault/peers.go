package vault

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// MaxPeers bounds the remembered peers: past it, the least recently seen
// are forgotten.
const MaxPeers = 256

// maxPeerAddrs bounds the addresses kept per remembered peer.
const maxPeerAddrs = 8

// bPeers holds the remembered peers: peer ID bytes -> CBOR peerRecord. It
// is created on the first remembered peer (vaults made before it exist).
var bPeers = []byte("peers")

// Peer is a remembered peer: one this node was connected to, with the
// addresses to dial it again.
type Peer struct {
	ID     peer.ID
	Addrs  []ma.Multiaddr
	Seen   time.Time // last connected or disconnected, millisecond precision
	Source string    // how it was first met: connect, bootstrap, mdns, dht, inbound
}

type peerRecord struct {
	Addrs  [][]byte `cbor:"addrs"`
	Seen   int64    `cbor:"seen"` // unix milliseconds
	Source string   `cbor:"source"`
}

// RememberPeers stores or updates ps (at most maxPeerAddrs addresses
// each) and then forgets the least recently seen peers past MaxPeers.
func (v *Bolt) RememberPeers(ps ...Peer) error {
	err := v.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bPeers)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := putPeer(b, p); err != nil {
				return err
			}
		}
		return evictPeers(b)
	})
	if err != nil {
		return fmt.Errorf("vault remember peers: %w", err)
	}
	return nil
}

func putPeer(b *bolt.Bucket, p Peer) error {
	if p.ID == "" {
		return fmt.Errorf("peer with no id")
	}
	rec := peerRecord{Seen: p.Seen.UnixMilli(), Source: p.Source, Addrs: [][]byte{}}
	for _, a := range p.Addrs[:min(len(p.Addrs), maxPeerAddrs)] {
		rec.Addrs = append(rec.Addrs, a.Bytes())
	}
	data, err := protocol.Marshal(rec)
	if err != nil {
		return err
	}
	return b.Put([]byte(p.ID), data)
}

// evictPeers deletes the least recently seen records past MaxPeers.
func evictPeers(b *bolt.Bucket) error {
	if b.Stats().KeyN <= MaxPeers {
		return nil
	}
	ps, err := readPeers(b)
	if err != nil {
		return err
	}
	for _, p := range ps[MaxPeers:] {
		if err := b.Delete([]byte(p.ID)); err != nil {
			return err
		}
	}
	return nil
}

// ForgetPeer deletes a remembered peer and reports whether it was held.
func (v *Bolt) ForgetPeer(id peer.ID) (bool, error) {
	held := false
	err := v.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPeers)
		if b == nil || b.Get([]byte(id)) == nil {
			return nil
		}
		held = true
		return b.Delete([]byte(id))
	})
	if err != nil {
		return false, fmt.Errorf("vault forget peer: %w", err)
	}
	return held, nil
}

// RememberedPeers lists the remembered peers, most recently seen first.
func (v *Bolt) RememberedPeers() ([]Peer, error) {
	var out []Peer
	err := v.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPeers)
		if b == nil {
			return nil
		}
		var err error
		out, err = readPeers(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("vault remembered peers: %w", err)
	}
	return out, nil
}

// readPeers decodes every record, most recently seen first (ties by ID).
func readPeers(b *bolt.Bucket) ([]Peer, error) {
	var out []Peer
	err := b.ForEach(func(k, data []byte) error {
		p, err := decodePeer(k, data)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	slices.SortFunc(out, func(a, b Peer) int {
		return cmp.Or(b.Seen.Compare(a.Seen), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

func decodePeer(k, data []byte) (Peer, error) {
	id, err := peer.IDFromBytes(k)
	if err != nil {
		return Peer{}, fmt.Errorf("peer key %x: %w", k, err)
	}
	var rec peerRecord
	if err := protocol.Unmarshal(data, &rec); err != nil {
		return Peer{}, fmt.Errorf("peer %s: %w", id, err)
	}
	p := Peer{ID: id, Seen: time.UnixMilli(rec.Seen), Source: rec.Source}
	for _, raw := range rec.Addrs {
		a, err := ma.NewMultiaddrBytes(raw)
		if err != nil {
			return Peer{}, fmt.Errorf("peer %s address: %w", id, err)
		}
		p.Addrs = append(p.Addrs, a)
	}
	return p, nil
}

// peers is Check's step for the remembered peers: every record
// decodes, and there are at most MaxPeers.
func (c *checker) peers() error {
	b := c.tx.Bucket(bPeers)
	if b == nil {
		return nil
	}
	ps, err := readPeers(b)
	if err != nil {
		return err
	}
	if len(ps) > MaxPeers {
		return fmt.Errorf("%d remembered peers, limit %d", len(ps), MaxPeers)
	}
	return nil
}
