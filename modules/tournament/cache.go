package tournament

import (
	"sync"
	"time"
)

// cache is a small in-process cache with a TTL and a size bound. invalidate drops
// everything at once: writes are rare next to reads, so coarse invalidation keeps it
// correct without tracking which entries a write touched.
//
// A reader that missed notes the generation before querying and stores its result only if
// no invalidation happened meanwhile; otherwise a page read before a write committed could
// be cached after the write's invalidation and served stale for a whole TTL.
type cache[V any] struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	gen     uint64
	entries map[string]cacheEntry[V]
}

type cacheEntry[V any] struct {
	value   V
	expires time.Time
}

func newCache[V any](ttl time.Duration, max int) *cache[V] {
	return &cache[V]{ttl: ttl, max: max, entries: map[string]cacheEntry[V]{}}
}

// get returns the live entry for key, or the current generation to pass to put.
func (c *cache[V]) get(key string, now time.Time) (v V, ok bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !now.Before(e.expires) {
		return v, false, c.gen
	}
	return e.value, true, c.gen
}

// put stores v unless the cache was invalidated since gen was read.
func (c *cache[V]) put(key string, v V, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.entries) >= c.max {
		clear(c.entries) // rare: a flood of distinct keys; start over rather than track recency
	}
	c.entries[key] = cacheEntry[V]{value: v, expires: now.Add(c.ttl)}
}

func (c *cache[V]) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}
