package tournament

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
)

// TestDiscoveryUsesItsIndex runs EXPLAIN on the very statements Discover sends, over
// 100 000 tournaments: each filter combination reads its composite index and never scans
// the table.
func TestDiscoveryUsesItsIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rec := &recorder{}
	pool, err := db.Open(ctx, dbtest.URL(t), 4, rec)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	seed(t, pool, 100_000)
	svc := New(pool, config(pool))
	for _, tc := range []struct {
		name   string
		filter DiscoveryFilter
		index  string
	}{
		{"GameAndStatus", DiscoveryFilter{Game: "game-3", Status: "registration_open", Limit: 20}, "tournaments_discovery_game_idx"},
		// With 10–20 % selective filters the planner may walk the keyset index and filter,
		// stopping after a few hundred rows; either index is fine, a table scan is not.
		{"GameOnly", DiscoveryFilter{Game: "game-3", Limit: 20}, "tournaments_discovery_"},
		{"StatusOnly", DiscoveryFilter{Status: "running", Limit: 20}, "tournaments_discovery_"},
		{"Unfiltered", DiscoveryFilter{Limit: 20}, "tournaments_discovery_idx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, _, err := svc.Discover(ctx, tc.filter)
			require.NoError(t, err)
			require.Len(t, page.Items, 20)
			sql, args := rec.last()
			var plan string
			// With its parameters bound, EXPLAIN plans the statement as its custom-plan run did.
			require.NoError(t, customPlans{pool}.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&plan))
			require.Contains(t, plan, `"Index Name": "`+tc.index, plan)
			require.False(t, seqScanOf(t, plan, "tournaments"), "sequential scan of tournaments:\n%s", plan)
		})
	}
}

// recorder is a pgx tracer that keeps the last statement and its arguments.
type recorder struct {
	mu   sync.Mutex
	sql  string
	args []any
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sql, r.args = d.SQL, nil
	for _, a := range d.Args {
		if _, isMode := a.(pgx.QueryExecMode); !isMode {
			r.args = append(r.args, a)
		}
	}
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) last() (string, []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sql, r.args
}

// seqScanOf reports whether a JSON plan has a Seq Scan node on relation.
func seqScanOf(t *testing.T, plan, relation string) bool {
	var nodes []map[string]any
	require.NoError(t, json.Unmarshal([]byte(plan), &nodes))
	var walk func(n map[string]any) bool
	walk = func(n map[string]any) bool {
		if n["Node Type"] == "Seq Scan" && n["Relation Name"] == relation {
			return true
		}
		kids, _ := n["Plans"].([]any)
		for _, k := range kids {
			if walk(k.(map[string]any)) {
				return true
			}
		}
		return false
	}
	return walk(nodes[0]["Plan"].(map[string]any))
}

// TestDiscoveryPagesCoverEverythingOnce walks every page of a filter and checks order,
// completeness and the embedded fields.
func TestDiscoveryPagesCoverEverythingOnce(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	seed(t, pool, 500)
	svc := New(pool, config(pool))
	ctx := context.Background()
	var got []TournamentSummary
	cursor := ""
	for {
		page, _, err := svc.Discover(ctx, DiscoveryFilter{Game: "game-1", Cursor: cursor, Limit: 7})
		require.NoError(t, err)
		got = append(got, page.Items...)
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	require.Len(t, got, 50)
	for i, it := range got {
		require.Equal(t, "game-1", it.Game.Slug)
		require.Equal(t, "org", it.Organizer.Handle)
		require.Equal(t, int32(7), it.Registered)
		if i > 0 {
			require.True(t, it.StartsAt.After(got[i-1].StartsAt), "ordered by start")
		}
	}
	_, _, err := svc.Discover(ctx, DiscoveryFilter{Cursor: "bm90IGEgY3Vyc29y", Limit: 5})
	require.Error(t, err)

	page, _, err := svc.Discover(ctx, DiscoveryFilter{Q: "cup 12", Limit: 100})
	require.NoError(t, err)
	for _, it := range page.Items {
		require.True(t, strings.HasPrefix(strings.TrimPrefix(it.Name, "Weekly Cup "), "12"), it.Name)
	}
	require.Len(t, page.Items, 11) // 12, 120…129
}

// TestDiscoveryQueryCount: a page of 1 and a page of 100 cost the same single round trip.
func TestDiscoveryQueryCount(t *testing.T) {
	t.Parallel()
	pool, counter := dbtest.CountingPool(t)
	seed(t, pool, 300)
	svc := New(pool, config(pool))
	for _, limit := range []int{1, 100} {
		counter.Reset()
		page, _, err := svc.Discover(context.Background(), DiscoveryFilter{Limit: limit})
		require.NoError(t, err)
		require.Len(t, page.Items, limit)
		require.Equal(t, int64(1), counter.Count(), "limit %d", limit)
	}
	counter.Reset()
	_, _, err := svc.Discover(context.Background(), DiscoveryFilter{Limit: 100})
	require.NoError(t, err)
	require.Equal(t, int64(0), counter.Count(), "a repeated page is served from the cache")
}

// TestCacheCoherentAcrossInstances: two instances on one database; a write through one
// drops the other's cached pages through LISTEN/NOTIFY.
func TestCacheCoherentAcrossInstances(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	orgCtx := seed(t, pool, 10)
	a, b := New(pool, config(pool)), New(pool, config(pool))
	listenCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Listen(listenCtx); close(done) }()
	t.Cleanup(func() { stop(); <-done })

	ctx := context.Background()
	first, _, err := b.Discover(ctx, DiscoveryFilter{Limit: 1})
	require.NoError(t, err)
	target := first.Items[0]
	// b's listener must be subscribed before the write, or the notification is lost.
	require.EventuallyWithT(t, func(c *assert.CollectT) { requireListening(c, pool) }, 10*time.Second, 10*time.Millisecond)

	renamed := "Renamed Cup"
	_, err = a.UpdateTournament(orgCtx, target.ID.String(), TournamentPatch{Name: &renamed})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		page, _, err := b.Discover(ctx, DiscoveryFilter{Limit: 1})
		return err == nil && page.Items[0].Name == renamed
	}, 10*time.Second, 10*time.Millisecond)
}

// requireListening fails c unless some session of this database is subscribed to changes.
// It takes Eventually's collector, not the test's t: it runs on Eventually's goroutine.
func requireListening(c *assert.CollectT, pool *pgxpool.Pool) {
	var ok bool
	require.NoError(c, pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN `+changesChannel+`')`).Scan(&ok))
	assert.True(c, ok, "no session listens for changes")
}
