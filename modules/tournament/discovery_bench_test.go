package tournament

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
)

// BenchmarkDiscovery runs discovery over 100 000 tournaments: the first page, page 2 000
// by keyset and by OFFSET (20 per page), a filtered page, and the cached first page.
func BenchmarkDiscovery(b *testing.B) {
	ctx := context.Background()
	rec := &recorder{}
	pool, err := db.Open(ctx, dbtest.URL(b), 4, rec)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	seed(b, pool, 100_000)
	svc := New(pool, config(pool))

	const perPage, depth = 20, 2000
	var startsAt time.Time
	var id uuid.UUID
	if err := pool.QueryRow(ctx, `SELECT starts_at, id FROM tournaments WHERE deleted_at IS NULL AND status <> 'draft'
		ORDER BY starts_at, id OFFSET $1 LIMIT 1`, (depth-1)*perPage-1).Scan(&startsAt, &id); err != nil {
		b.Fatal(err)
	}
	deep := arena.EncodeCursor(discoveryCursor{StartsAt: startsAt, ID: id})

	uncached := func(f DiscoveryFilter) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				svc.discovery.Invalidate()
				if page, _, err := svc.Discover(ctx, f); err != nil || len(page.Items) != perPage {
					b.Fatalf("page: %v", err)
				}
			}
		}
	}
	b.Run("KeysetPage1", uncached(DiscoveryFilter{Limit: perPage}))
	b.Run("KeysetPage2000", uncached(DiscoveryFilter{Cursor: deep, Limit: perPage}))
	b.Run("GameStatusPage1", uncached(DiscoveryFilter{Game: "game-3", Status: "registration_open", Limit: perPage}))

	// The same statement, paged by OFFSET instead of the cursor, for comparison.
	if _, _, err := svc.Discover(ctx, DiscoveryFilter{Limit: perPage, Q: "warmup"}); err != nil {
		b.Fatal(err)
	}
	sql, args := rec.last()
	offsetSQL := strings.Replace(sql, "LIMIT $8", "OFFSET 39980 LIMIT $8", 1)
	args[4] = nil // no text query
	b.Run("OffsetPage2000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rows, err := customPlans{pool}.Query(ctx, offsetSQL, args...)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n != perPage+1 {
				b.Fatalf("got %d rows", n)
			}
		}
	})

	b.Run("CachedPage1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := svc.Discover(ctx, DiscoveryFilter{Limit: perPage}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
