package db_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
)

// TestPoolSurvivesATerminatedBackend terminates the backend of the pool's one idle
// connection before each statement: pgxpool alone hands the dead connection out and the
// statement fails with 57P01; db.Pool runs it again on a new connection.
func TestPoolSurvivesATerminatedBackend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(dbtest.Pool(t).Config().ConnString())
	require.NoError(t, err)
	cfg.MaxConns = 1
	raw, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(raw.Close)
	pool := db.Statements(raw)
	killer, err := pgx.Connect(ctx, cfg.ConnString())
	require.NoError(t, err)
	t.Cleanup(func() { _ = killer.Close(ctx) })
	terminateIdle := func(t *testing.T) {
		t.Helper()
		var pid uint32
		require.NoError(t, raw.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid))
		var done bool
		require.NoError(t, killer.QueryRow(ctx, `SELECT pg_terminate_backend($1, 5000)`, pid).Scan(&done))
		require.True(t, done)
	}

	t.Run("Unwrapped", func(t *testing.T) {
		terminateIdle(t)
		var one int
		err := raw.QueryRow(ctx, `SELECT 1`).Scan(&one)
		require.True(t, db.Retryable(err), "the dead connection is handed out: %v", err)
	})
	t.Run("QueryRow", func(t *testing.T) {
		terminateIdle(t)
		var one int
		require.NoError(t, pool.QueryRow(ctx, `SELECT 1`).Scan(&one))
		require.Equal(t, 1, one)
	})
	t.Run("Query", func(t *testing.T) {
		terminateIdle(t)
		rows, err := pool.Query(ctx, `SELECT generate_series(1, 3)`)
		require.NoError(t, err)
		got, err := pgx.CollectRows(rows, pgx.RowTo[int])
		require.NoError(t, err)
		require.Equal(t, []int{1, 2, 3}, got)
	})
	t.Run("Exec", func(t *testing.T) {
		terminateIdle(t)
		_, err := pool.Exec(ctx, `SELECT 1`)
		require.NoError(t, err)
	})
}
