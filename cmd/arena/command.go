package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/internal/app"
)

// database is what a command that uses the database runs with.
type database struct {
	cfg    app.Config
	logger *slog.Logger // writes to the command's stderr
	pool   *pgxpool.Pool
}

// withDatabase is the prologue of every command that uses the database: it parses the
// command's configuration, opens the database, runs fn and closes the database again.
// flags, when not nil, defines the command's own flags and returns what runs once they are
// parsed and before the database opens: it checks them and reads any other input.
func withDatabase(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer,
	flags func(*flag.FlagSet) (before func() error), fn func(database) error) error {
	var before func() error
	var extra func(*flag.FlagSet)
	if flags != nil {
		extra = func(fs *flag.FlagSet) { before = flags(fs) }
	}
	cfg, err := app.ParseConfig(name, args, getenv, stderr, extra)
	if err != nil {
		return err
	}
	if before != nil {
		if err := before(); err != nil {
			return err
		}
	}
	logger := cfg.Logger(stderr)
	pool, closeDB, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeDB()
	return fn(database{cfg: cfg, logger: logger, pool: pool})
}

// openDatabase connects to DATABASE_URL, or starts (or joins) the embedded cluster when it
// is unset. The returned func closes the pool and stops a cluster this process started.
func openDatabase(ctx context.Context, cfg app.Config, logger *slog.Logger) (*pgxpool.Pool, func(), error) {
	url := cfg.DatabaseURL
	stopEmbedded := func() {}
	if url == "" {
		e, err := db.StartEmbedded(ctx, db.EmbeddedOptions{Dir: filepath.Join(cfg.DataDir, "pg"), Logger: logger})
		if err != nil {
			return nil, nil, err
		}
		url, stopEmbedded = e.URL, e.Stop
	}
	pool, err := db.Open(ctx, url, int32(cfg.DBMaxConns), nil)
	if err != nil {
		stopEmbedded()
		return nil, nil, err
	}
	return pool, func() {
		pool.Close()
		stopEmbedded()
	}, nil
}
