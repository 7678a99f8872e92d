package db

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Cache is a small in-process cache of query results with a TTL and a size bound.
// Invalidate drops everything at once: writes are rare next to reads, so coarse
// invalidation keeps it correct without tracking which entries a write touched. Modules
// announce their writes with NotifyTx and keep every instance's caches coherent with Listen.
//
// A reader that missed notes the generation before querying and stores its result only if
// no invalidation happened meanwhile; otherwise a page read before a write committed could
// be cached after the write's invalidation and served stale for a whole TTL.
type Cache[V any] struct {
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

// NewCache returns a cache keeping entries for ttl, at most max of them.
func NewCache[V any](ttl time.Duration, max int) *Cache[V] {
	return &Cache[V]{ttl: ttl, max: max, entries: map[string]cacheEntry[V]{}}
}

// Get returns the live entry for key, or the current generation to pass to Put.
func (c *Cache[V]) Get(key string, now time.Time) (v V, ok bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !now.Before(e.expires) {
		return v, false, c.gen
	}
	return e.value, true, c.gen
}

// Put stores v unless the cache was invalidated since gen was read.
func (c *Cache[V]) Put(key string, v V, gen uint64, now time.Time) {
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

// Invalidate drops every entry.
func (c *Cache[V]) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// NotifyTx announces a change on channel; Postgres delivers the notification on commit, so
// a rolled-back change invalidates nothing elsewhere.
func NotifyTx(ctx context.Context, tx pgx.Tx, channel string) error {
	_, err := tx.Exec(ctx, "SELECT pg_notify($1, '')", channel)
	return err
}

// Listen calls invalidate for every notification on channel (an identifier the code names,
// never input) until ctx ends, reconnecting after errors — and invalidating then too, since
// notifications may have been missed.
func Listen(ctx context.Context, pool *pgxpool.Pool, channel string, invalidate func()) {
	for ctx.Err() == nil {
		err := listenOnce(ctx, pool, channel, invalidate)
		invalidate()
		if ctx.Err() == nil && err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func listenOnce(ctx context.Context, pool *pgxpool.Pool, channel string, invalidate func()) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return err
	}
	// A listening connection must not go back to the pool still subscribed.
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), "UNLISTEN *") }()
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
		invalidate()
	}
}

// Follow runs work each time channel is notified and at least every interval, until ctx
// ends: for readers of a log whose rows may become readable without a notification of their
// own (a row committed while an older transaction still ran). Notifications that arrive
// while work runs fold into one more run.
func Follow(ctx context.Context, pool *pgxpool.Pool, channel string, interval time.Duration, work func(context.Context)) {
	wake := make(chan struct{}, 1)
	go Listen(ctx, pool, channel, func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
		work(ctx)
	}
}
