package db_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t) // already migrated from the template
	pending, err := db.Pending(ctx, pool)
	require.NoError(t, err)
	require.False(t, pending)
	require.NoError(t, db.Migrate(ctx, pool, slog.New(slog.DiscardHandler)))
	pending, err = db.Pending(ctx, pool)
	require.NoError(t, err)
	require.False(t, pending)
}

func TestPendingSeesAMissingMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	_, err := pool.Exec(ctx, "DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)")
	require.NoError(t, err)
	pending, err := db.Pending(ctx, pool)
	require.NoError(t, err)
	require.True(t, pending)
}

// TestEmbeddedClusterIsSharedAndStopped: a second start on the same folder attaches to
// the running cluster; stopping the attacher leaves it up; stopping the owner takes it
// down; data survives a restart.
func TestEmbeddedClusterIsSharedAndStopped(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		t.Skip("the embedded cluster is not used when TEST_DATABASE_URL is set")
	}
	t.Parallel()
	ctx := context.Background()
	// Not t.TempDir: its parent is private to us, and the server may run as "postgres".
	tmp, err := os.MkdirTemp("", "arena-embedded-test-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(tmp) })
	require.NoError(t, os.Chmod(tmp, 0o755))
	opts := db.EmbeddedOptions{Dir: filepath.Join(tmp, "pg"), Settings: map[string]string{"fsync": "off"}}

	owner, err := db.StartEmbedded(ctx, opts)
	require.NoError(t, err)
	defer owner.Stop()
	exec(t, owner.URL, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)")

	second, err := db.StartEmbedded(ctx, opts)
	require.NoError(t, err)
	require.Equal(t, owner.Port(), second.Port())
	second.Stop()
	exec(t, owner.URL, "SELECT 1") // still up

	owner.Stop()
	_, err = pgx.Connect(ctx, owner.URL)
	require.Error(t, err, "the owner's Stop shuts the cluster down")
	_, err = os.Stat(filepath.Join(opts.Dir, "postmaster.pid"))
	require.ErrorIs(t, err, os.ErrNotExist)

	again, err := db.StartEmbedded(ctx, opts)
	require.NoError(t, err)
	defer again.Stop()
	conn, err := pgx.Connect(ctx, again.URL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var v int
	require.NoError(t, conn.QueryRow(ctx, "SELECT v FROM kept").Scan(&v))
	require.Equal(t, 42, v)
}

func exec(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	require.NoError(t, err)
}
