package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/arenaesports/arena/db"
)

// serve runs the API (withHTTP) and the River workers until ctx is cancelled, then shuts
// down in dependency order: HTTP server, River, pool, embedded Postgres.
func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, withHTTP bool) error {
	name := "serve"
	if !withHTTP {
		name = "worker"
	}
	cfg, err := parseConfig(name, args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := cfg.logger(stderr)

	pool, closeDB, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeDB()
	if withHTTP {
		if err := db.Migrate(ctx, pool, logger); err != nil {
			return err
		}
	} else if pending, err := db.Pending(ctx, pool); err != nil {
		return err
	} else if pending {
		return errors.New("the database schema is not current: run `arena migrate` (or `arena serve`) first")
	}

	a := newApp(pool, cfg, logger)
	riverClient, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Logger:       logger,
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}},
		Workers:      a.workers,
		PeriodicJobs: a.periodicJobs,
	})
	if err != nil {
		return fmt.Errorf("river client: %w", err)
	}
	if err := riverClient.Start(ctx); err != nil {
		return fmt.Errorf("start river: %w", err)
	}
	logger.Info("workers started")
	listenCtx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	go a.tournament.Listen(listenCtx) // keep cached pages coherent with other instances' writes
	go a.leaderboard.Listen(listenCtx)

	var srv *http.Server
	serveErr := make(chan error, 1)
	if withHTTP {
		ln, err := net.Listen("tcp", cfg.addr)
		if err != nil {
			stopRiver(riverClient, cfg.shutdown, logger)
			return fmt.Errorf("listen on %s: %w", cfg.addr, err)
		}
		srv = &http.Server{
			Handler:           a.handler,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       15 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		}
		logger.Info("http server listening", "addr", ln.Addr().String())
		go func() { serveErr <- srv.Serve(ln) }()
	}

	select {
	case <-ctx.Done():
		logger.Info("shutting down")
	case err = <-serveErr:
		logger.Error("http server failed", "err", err)
	}
	if srv != nil {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdown)
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Warn("http shutdown did not finish cleanly", "err", err)
		}
		cancel()
	}
	stopRiver(riverClient, cfg.shutdown, logger)
	return err
}

func stopRiver(c *river.Client[pgx.Tx], timeout time.Duration, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		logger.Warn("river did not stop cleanly; cancelling running jobs", "err", err)
		_ = c.StopAndCancel(context.Background())
	}
}

// migrate applies Arena's and River's migrations.
func migrate(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parseConfig("migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := cfg.logger(stderr)
	pool, closeDB, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := db.Migrate(ctx, pool, logger); err != nil {
		return err
	}
	logger.Info("database schema is current")
	return nil
}

// openDatabase connects to DATABASE_URL, or starts (or joins) the embedded cluster when it
// is unset. The returned func closes the pool and stops a cluster this process started.
func openDatabase(ctx context.Context, cfg config, logger *slog.Logger) (*pgxpool.Pool, func(), error) {
	url := cfg.databaseURL
	stopEmbedded := func() {}
	if url == "" {
		e, err := db.StartEmbedded(ctx, db.EmbeddedOptions{Dir: filepath.Join(cfg.dataDir, "pg"), Logger: logger})
		if err != nil {
			return nil, nil, err
		}
		url, stopEmbedded = e.URL, e.Stop
	}
	pool, err := db.Open(ctx, url, int32(cfg.maxConns), nil)
	if err != nil {
		stopEmbedded()
		return nil, nil, err
	}
	return pool, func() {
		pool.Close()
		stopEmbedded()
	}, nil
}
