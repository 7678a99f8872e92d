package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
)

// txBundle is a database with a table of rows to count what committed.
func txBundle(t *testing.T) (context.Context, *pgxpool.Pool) {
	t.Helper()
	ctx, pool := context.Background(), dbtest.Pool(t)
	_, err := pool.Exec(ctx, `CREATE TABLE tx_probe (n int PRIMARY KEY)`)
	require.NoError(t, err)
	return ctx, pool
}

func probes(t *testing.T, ctx context.Context, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM tx_probe`).Scan(&n))
	return n
}

func TestInTx(t *testing.T) {
	t.Parallel()

	// Each failure a new attempt can cure, raised on the first attempt only: the work
	// commits once, on the second.
	for name, failure := range map[string]string{
		"RetriesASerializationFailure":       `DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`,
		"RetriesADeadlockVictim":             `DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$`,
		"RetriesAfterItsBackendIsTerminated": `SELECT pg_terminate_backend(pg_backend_pid())`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, pool := txBundle(t)
			attempts := 0
			err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
				attempts++
				if _, err := tx.Exec(ctx, `INSERT INTO tx_probe VALUES (1)`); err != nil {
					return err
				}
				if attempts == 1 {
					_, err := tx.Exec(ctx, failure)
					return err
				}
				return nil
			})
			require.NoError(t, err)
			require.Equal(t, 2, attempts)
			require.Equal(t, 1, probes(t, ctx, pool))
		})
	}

	t.Run("RetriesACommitWhoseBackendDiedBeforeItCommitted", func(t *testing.T) {
		t.Parallel()
		ctx, pool := txBundle(t)
		// A deferred trigger runs inside COMMIT: on the first attempt it terminates its own
		// backend, so the client loses the connection during COMMIT and must ask Postgres
		// what became of the transaction (aborted) before it tries again.
		_, err := pool.Exec(ctx, `
			CREATE SEQUENCE tx_kill_calls;
			CREATE FUNCTION tx_kill_first() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF nextval('tx_kill_calls') = 1 THEN
					PERFORM pg_terminate_backend(pg_backend_pid());
					PERFORM pg_sleep(5); -- the termination lands here, inside COMMIT
				END IF;
				RETURN NULL;
			END $$;
			CREATE CONSTRAINT TRIGGER tx_kill AFTER INSERT ON tx_probe
				DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tx_kill_first();`)
		require.NoError(t, err)
		attempts := 0
		err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
			attempts++
			_, err := tx.Exec(ctx, `INSERT INTO tx_probe VALUES (1)`)
			return err
		})
		require.NoError(t, err)
		require.Equal(t, 2, attempts)
		require.Equal(t, 1, probes(t, ctx, pool))
	})

	t.Run("ReturnsADomainErrorAtOnce", func(t *testing.T) {
		t.Parallel()
		ctx, pool := txBundle(t)
		attempts := 0
		err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			attempts++
			return arena.Errorf(arena.ECONFLICT, "Full.")
		})
		require.Equal(t, arena.ECONFLICT, arena.ErrorCode(err))
		require.Equal(t, 1, attempts)
	})

	t.Run("GivesUpAfterMaxAttempts", func(t *testing.T) {
		t.Parallel()
		ctx, pool := txBundle(t)
		attempts := 0
		err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			attempts++
			_, err := tx.Exec(ctx, `DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`)
			return err
		})
		require.True(t, db.Retryable(err))
		require.Equal(t, db.MaxTxAttempts, attempts)
	})

	t.Run("CommitOutcomeReadsWhatPostgresDecided", func(t *testing.T) {
		t.Parallel()
		ctx, pool := txBundle(t)
		lost := errors.New("connection lost during COMMIT")
		xidOf := func(commit bool) string {
			tx, err := pool.Begin(ctx)
			require.NoError(t, err)
			var xid string
			require.NoError(t, tx.QueryRow(ctx, `SELECT pg_current_xact_id()::text`).Scan(&xid))
			if commit {
				require.NoError(t, tx.Commit(ctx))
			} else {
				require.NoError(t, tx.Rollback(ctx))
			}
			return xid
		}
		require.NoError(t, db.CommitOutcome(ctx, pool, xidOf(true), lost))
		require.ErrorIs(t, db.CommitOutcome(ctx, pool, xidOf(false), lost), lost)
	})
}
