// Package db owns the connection pool, the schema migrations embedded in the binary, and
// the embedded Postgres cluster used when no DATABASE_URL is given.
package db

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations
var migrations embed.FS

// riverMigrateLock is the advisory lock key that serialises River's migrations when several
// processes start at once (goose has its own session lock).
const riverMigrateLock = 0x6172656e61 // "arena"

// Open builds a pool for url with at most maxConns connections (0 keeps pgx's default) and
// checks that the database answers.
func Open(ctx context.Context, url string, maxConns int32, tracer pgx.QueryTracer) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return pool, nil
}

// Migrate applies Arena's schema migrations and then River's, each under a lock so that
// concurrent starts are safe. Running it again is a no-op.
func Migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	provider, closeProvider, err := newGoose(pool)
	if err != nil {
		return err
	}
	defer closeProvider()
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply schema migrations: %w", err)
	}
	for _, r := range results {
		logger.Info("applied migration", "source", r.Source.Path, "duration", r.Duration)
	}

	// River applies each version in its own transaction (some cannot share one), so
	// concurrent starts are serialised by a session lock held on a connection of its own.
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire connection for river migration lock: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", riverMigrateLock); err != nil {
		return fmt.Errorf("lock river migration: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", riverMigrateLock)
	}()
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("apply river migrations: %w", err)
	}
	for _, v := range res.Versions {
		logger.Info("applied river migration", "version", v.Version)
	}
	return nil
}

// Pending reports whether any schema or River migration has not been applied yet.
func Pending(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	migrations, riverCurrent, err := Status(ctx, pool)
	if err != nil {
		return false, err
	}
	for _, m := range migrations {
		if m.AppliedAt.IsZero() {
			return true, nil
		}
	}
	return !riverCurrent, nil
}

// Migration is one of Arena's schema migrations, and when it was applied (zero: pending).
type Migration struct {
	Source    string
	AppliedAt time.Time
}

// Status lists Arena's migrations in order with their state, and whether River's own
// schema is current, for `arena migrate status`.
func Status(ctx context.Context, pool *pgxpool.Pool) ([]Migration, bool, error) {
	provider, closeProvider, err := newGoose(pool)
	if err != nil {
		return nil, false, err
	}
	defer closeProvider()
	states, err := provider.Status(ctx)
	if err != nil {
		return nil, false, err
	}
	out := make([]Migration, len(states))
	for i, s := range states {
		out[i] = Migration{Source: filepath.Base(s.Source.Path), AppliedAt: s.AppliedAt}
		if s.State != goose.StateApplied {
			out[i].AppliedAt = time.Time{}
		}
	}
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return nil, false, err
	}
	res, err := migrator.Validate(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	return out, res.OK, nil
}

// SchemaHash identifies the schema that Migrate produces: the contents of every embedded
// migration and River's latest migration version. Test templates are keyed on it.
func SchemaHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".sql" {
			return err
		}
		b, err := migrations.ReadFile(path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	migrator, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		return "", err
	}
	all := migrator.AllVersions()
	if len(all) == 0 {
		return "", errors.New("river reports no migrations")
	}
	h.Write([]byte("river:" + strconv.Itoa(all[len(all)-1].Version)))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// newGoose returns a goose provider over the embedded migrations.
func newGoose(pool *pgxpool.Pool) (*goose.Provider, func(), error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, nil, err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, nil, err
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, sub, goose.WithSessionLocker(locker))
	if err != nil {
		_ = sqlDB.Close()
		return nil, nil, fmt.Errorf("load migrations: %w", err)
	}
	return provider, func() { _ = sqlDB.Close() }, nil
}
