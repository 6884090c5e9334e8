package edkey

import (
	"crypto/ed25519"
	"sync"
)

// Cache keeps decoded keys, and the tables of the keys used most, within
// fixed bounds. It is safe for concurrent use.
type Cache struct {
	maxKeys, maxTables, after int

	mu     sync.Mutex
	keys   map[[ed25519.PublicKeySize]byte]*slot
	tables int
}

type slot struct {
	key      *Key
	uses     int
	building bool
}

// NewCache returns a cache of at most maxKeys keys, of which at most
// maxTables (80 KiB each) are precomputed: a key's table is built on its
// after-th use.
func NewCache(maxKeys, maxTables, after int) *Cache {
	return &Cache{
		maxKeys: max(maxKeys, 1), maxTables: maxTables, after: after,
		keys: make(map[[ed25519.PublicKeySize]byte]*slot),
	}
}

// Verify reports whether sig is a valid signature of msg by pub, with
// crypto/ed25519.Verify's answer for every input, except that a public
// key of the wrong length is reported invalid instead of a panic.
func (c *Cache) Verify(pub, msg, sig []byte) bool {
	k, build := c.key(pub)
	if k == nil {
		return false
	}
	if build {
		k = c.build(k)
	}
	return k.Verify(msg, sig)
}

// Len returns how many keys, and how many tables, the cache holds.
func (c *Cache) Len() (keys, tables int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.keys), c.tables
}

// key returns pub decoded, and whether the caller should build its table.
func (c *Cache) key(pub []byte) (*Key, bool) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, false
	}
	raw := [ed25519.PublicKeySize]byte(pub)
	c.mu.Lock()
	s, ok := c.keys[raw]
	if !ok {
		c.mu.Unlock()
		k, ok := New(pub)
		if !ok {
			return nil, false
		}
		c.mu.Lock()
		if s, ok = c.keys[raw]; !ok {
			c.evictKey()
			s = &slot{key: k}
			c.keys[raw] = s
		}
	}
	defer c.mu.Unlock()
	s.uses++
	build := s.key.tab == nil && !s.building && s.uses >= c.after && c.maxTables > 0
	if build {
		s.building = true
	}
	return s.key, build
}

// build precomputes k's table and installs it, making room if needed.
func (c *Cache) build(k *Key) *Key {
	p := k.Precompute()
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.keys[k.raw]
	if !ok || s.key != k { // evicted meanwhile
		return p
	}
	s.building = false
	if c.tables >= c.maxTables {
		c.evictTable()
	}
	s.key = p
	c.tables++
	return p
}

// evictKey makes room for one more key, dropping one at random.
func (c *Cache) evictKey() {
	if len(c.keys) < c.maxKeys {
		return
	}
	for raw, s := range c.keys {
		if s.key.tab != nil {
			c.tables--
		}
		delete(c.keys, raw)
		return
	}
}

// evictTable drops the table of a key at random, keeping the key.
func (c *Cache) evictTable() {
	for _, s := range c.keys {
		if s.key.tab != nil {
			s.key = &Key{raw: s.key.raw, minusA: s.key.minusA}
			s.uses = 0
			c.tables--
			return
		}
	}
}
