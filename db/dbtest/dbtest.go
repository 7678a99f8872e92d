// Package dbtest gives each test its own freshly migrated Postgres database, cloned from a
// template (pgtestdb), on the first server it finds: TEST_DATABASE_URL, then a testcontainers
// Postgres when a Docker engine answers, then a throwaway embedded cluster.
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver pgtestdb uses
	"github.com/peterldowns/pgtestdb"
	"github.com/testcontainers/testcontainers-go"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"

	"github.com/arenaesports/arena/db"
)

var (
	serverOnce sync.Once
	serverConf pgtestdb.Config
	serverErr  error
	stopServer = func() {}
)

// Main runs a package's tests and then stops the database server this process started, if
// any. Every package that uses dbtest calls it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	stopServer()
	os.Exit(code)
}

// URL creates a new database migrated to the current schema and returns its URL. The
// database is dropped when the test ends (kept if it failed, for inspection).
func URL(tb testing.TB) string {
	tb.Helper()
	serverOnce.Do(func() { serverConf, serverErr = startServer() })
	if serverErr != nil {
		tb.Fatalf("dbtest: no Postgres server for tests: %v", serverErr)
	}
	return pgtestdb.Custom(tb, serverConf, migrator{}).URL()
}

// Pool returns a pool on a new migrated database; it is closed when the test ends.
func Pool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	return open(tb, URL(tb), nil)
}

// CountingPool is Pool with a Counter attached to every connection, for query-count tests.
func CountingPool(tb testing.TB) (*pgxpool.Pool, *Counter) {
	tb.Helper()
	c := &Counter{}
	return open(tb, URL(tb), c), c
}

func open(tb testing.TB, dbURL string, tracer pgx.QueryTracer) *pgxpool.Pool {
	tb.Helper()
	pool, err := db.Open(context.Background(), dbURL, 8, tracer)
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

func startServer() (pgtestdb.Config, error) {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return configFromURL(u)
	}
	if u, stop, ok := startContainer(); ok {
		stopServer = stop
		return configFromURL(u)
	}
	return startEmbedded()
}

// startContainer runs Postgres in Docker when an engine answers. Without one, the provider
// lookup fails at once, so machines without Docker pay nothing.
func startContainer() (string, func(), bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ok := func() (ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		provider, err := testcontainers.ProviderDefault.GetProvider()
		if err != nil {
			return false
		}
		defer provider.Close()
		return provider.Health(ctx) == nil
	}()
	if !ok {
		return "", nil, false
	}
	c, err := tcpostgres.Run(ctx, "postgres:16-alpine",
		tcpostgres.WithUsername("postgres"), tcpostgres.WithPassword("postgres"),
		tcpostgres.BasicWaitStrategies())
	if err != nil {
		return "", nil, false
	}
	u, err := c.ConnectionString(ctx, "sslmode=disable")
	if err != nil {
		_ = testcontainers.TerminateContainer(c)
		return "", nil, false
	}
	return u, func() { _ = testcontainers.TerminateContainer(c) }, true
}

func startEmbedded() (pgtestdb.Config, error) {
	tmp, err := os.MkdirTemp("", "arena-pgtest-")
	if err != nil {
		return pgtestdb.Config{}, err
	}
	// When root, the server runs as "postgres", which must be able to enter this folder.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return pgtestdb.Config{}, err
	}
	e, err := db.StartEmbedded(context.Background(), db.EmbeddedOptions{
		Dir: filepath.Join(tmp, "pg"),
		// A throwaway cluster: durability buys nothing and costs seconds per suite.
		Settings: map[string]string{"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		_ = os.RemoveAll(tmp)
		return pgtestdb.Config{}, err
	}
	stopServer = func() {
		e.Stop()
		_ = os.RemoveAll(tmp)
	}
	return configFromURL(e.URL)
}

func configFromURL(raw string) (pgtestdb.Config, error) {
	c, err := pgconn.ParseConfig(raw)
	if err != nil {
		return pgtestdb.Config{}, fmt.Errorf("parse %q: %w", raw, err)
	}
	opts := url.Values{"sslmode": {"disable"}}
	return pgtestdb.Config{
		DriverName: "pgx",
		Host:       c.Host,
		Port:       fmt.Sprint(c.Port),
		User:       c.User,
		Password:   c.Password,
		Database:   c.Database,
		Options:    opts.Encode(),
	}, nil
}

// migrator builds pgtestdb's template with exactly what `arena migrate` applies.
type migrator struct{}

func (migrator) Hash() (string, error) { return db.SchemaHash() }

func (migrator) Migrate(ctx context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	pool, err := db.Open(ctx, conf.URL(), 2, nil)
	if err != nil {
		return err
	}
	defer pool.Close()
	return db.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
}
