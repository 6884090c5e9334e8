package wasm

import (
	"context"
	"crypto/sha256"
	"sync"

	"github.com/tetratelabs/wazero"
)

// key is a module's identity in the compilation cache: the SHA-256 of its
// bytes, the digest a sha2-256 CID of the raw module carries.
type key [32]byte

// keyOf returns the cache key of a module.
func keyOf(module []byte) key { return sha256.Sum256(module) }

// compiled is one module in the cache. ready is closed when mod or err is
// set; refs counts the runs holding it, which keep it from being evicted.
type compiled struct {
	key   key
	ready chan struct{}
	mod   wazero.CompiledModule
	err   error
	refs  int
	used  uint64 // cache tick of the last use, for eviction
}

// cache holds up to max compiled modules, least recently used evicted
// first. A module is compiled once however many runs ask for it at the
// same time; a failed compilation is not kept, and the next run of those
// bytes tries again.
type cache struct {
	mu      sync.Mutex
	max     int
	tick    uint64
	entries map[key]*compiled
	stats   Stats
}

func newCache(max int) *cache {
	return &cache{max: max, entries: make(map[key]*compiled)}
}

// get returns the compiled module for key, compiling it with compile when
// absent. The caller releases what get returns.
func (c *cache) get(ctx context.Context, k key, compile func() (wazero.CompiledModule, error)) (*compiled, error) {
	e, fresh := c.acquire(k)
	if fresh {
		e.mod, e.err = compile()
		c.settle(e)
		close(e.ready)
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		c.release(e)
		return nil, ctx.Err()
	}
	if e.err != nil {
		c.release(e)
		return nil, e.err
	}
	return e, nil
}

// acquire returns k's entry with one more reference, creating it when
// absent (fresh: the caller compiles).
func (c *cache) acquire(k key) (e *compiled, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tick++
	if e = c.entries[k]; e != nil {
		e.refs++
		e.used = c.tick
		c.stats.Hits++
		return e, false
	}
	e = &compiled{key: k, ready: make(chan struct{}), refs: 1, used: c.tick}
	c.entries[k] = e
	c.stats.Compiles++
	return e, true
}

// settle keeps a compiled module, evicting others past max, or removes a
// failed one so that it neither counts against max nor stays cached.
func (c *cache) settle(e *compiled) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.err != nil {
		delete(c.entries, e.key)
		c.stats.Failures++
		return
	}
	c.evict()
}

// evict drops the least recently used idle entries while the cache holds
// more than max. Entries in use stay, so the cache may run over max while
// more than max modules run at once. Called with c.mu held.
func (c *cache) evict() {
	for len(c.entries) > c.max {
		var old *compiled
		for _, e := range c.entries {
			if e.refs == 0 && (old == nil || e.used < old.used) {
				old = e
			}
		}
		if old == nil {
			return
		}
		delete(c.entries, old.key)
		closeModule(old.mod)
	}
}

// release gives back one reference.
func (c *cache) release(e *compiled) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.refs--
}

// snapshot returns the counters.
func (c *cache) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Cached = len(c.entries)
	return s
}

func closeModule(m wazero.CompiledModule) {
	if m != nil {
		_ = m.Close(context.Background())
	}
}
