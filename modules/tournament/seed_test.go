package tournament

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/modules/wallet"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// seedEpoch anchors seeded schedules so tests and benchmarks are reproducible.
var seedEpoch = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// seed inserts an organizer, 10 games ("game-0" … "game-9") and n listed tournaments
// spread over games, statuses and start times, in a few set-based statements. It returns
// the organizer's context.
func seed(tb testing.TB, pool *pgxpool.Pool, n int) context.Context {
	tb.Helper()
	ctx := context.Background()
	organizer := db.NewID()
	stmts := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO users (id, email, handle, display_name, password_hash, roles, created_at, updated_at)
		  VALUES ($1, 'org@example.com', 'org', 'Organizer', 'x', '{player,organizer}', now(), now())`, []any{organizer}},
		{`INSERT INTO games (id, slug, name, team_size_min, team_size_max, config_schema, created_at, updated_at)
		  SELECT gen_random_uuid(), 'game-' || g, 'Game ' || g, 1, 5, '{"type":"object"}', now(), now()
		  FROM generate_series(0, 9) g`, nil},
		{`INSERT INTO tournaments (id, slug, name, game_id, organizer_id, status, format, participant_type, capacity,
		      entry_fee, currency, payment_method, registration_opens_at, registration_closes_at, starts_at, created_at, updated_at)
		  SELECT gen_random_uuid(), 'cup-' || i, 'Weekly Cup ' || i,
		         (SELECT id FROM games WHERE slug = 'game-' || (i % 10)), $1,
		         (ARRAY['published','registration_open','registration_closed','running','completed'])[1 + (i / 10) % 5],
		         'single_elimination', CASE WHEN i % 2 = 0 THEN 'solo' ELSE 'team' END, 64, 500, 'USD', 'wallet',
		         $2::timestamptz - interval '1 day', $2::timestamptz + (i * interval '1 minute'),
		         $2::timestamptz + (i * interval '1 minute') + interval '1 hour', now(), now()
		  FROM generate_series(1, $3::int) i`, []any{organizer, seedEpoch, n}},
		{`INSERT INTO tournament_slots (tournament_id, capacity, taken) SELECT id, capacity, 7 FROM tournaments`, nil},
		{`ANALYZE tournaments`, nil},
	}
	for _, st := range stmts {
		if _, err := pool.Exec(ctx, st.sql, st.args...); err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	return arena.WithCaller(ctx, arena.Caller{ID: organizer, Roles: []string{arena.RolePlayer, arena.RoleOrganizer}})
}

// config is the service's configuration for tests: an insert-only River client (tests see
// jobs enqueued, nothing works them) and the real wallet for added prizes.
func config(pool *pgxpool.Pool) Config {
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		panic(err)
	}
	return Config{Jobs: c, Escrow: wallet.New(pool, wallet.Config{})}
}
