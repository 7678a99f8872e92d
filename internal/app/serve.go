package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/arenaesports/arena/db"
)

// Serve answers HTTP on the configured address and works the River jobs until ctx is
// cancelled or the server fails. It then drains in dependency order: the HTTP server
// first (in-flight requests get the shutdown timeout), then River (running jobs get as
// long again). The caller closes the pool after it returns. While it runs, the caches
// follow other instances' writes.
func (a *App) Serve(ctx context.Context) error { return a.run(ctx, true) }

// Work is Serve without HTTP: it only works the River jobs (`arena worker`).
func (a *App) Work(ctx context.Context) error { return a.run(ctx, false) }

func (a *App) run(ctx context.Context, withHTTP bool) error {
	cfg, logger := a.cfg, a.logger
	riverClient, err := river.NewClient(riverpgxv5.New(a.pool), &river.Config{
		Logger:               logger,
		Queues:               queues(),
		JobTimeout:           db.JobTimeout,
		RescueStuckJobsAfter: db.RescueStuckJobsAfter,
		Workers:              a.Workers,
		PeriodicJobs:         a.periodicJobs,
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
	go a.Tournament.Listen(listenCtx) // keep cached pages coherent with other instances' writes
	go a.Leaderboard.Listen(listenCtx)
	go a.Events.Listen(listenCtx) // the one LISTEN that wakes this process's event streams
	go a.Webhooks.Dispatch(listenCtx)

	var srv *http.Server
	serveErr := make(chan error, 1)
	if withHTTP {
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			stopRiver(riverClient, cfg.ShutdownTimeout, logger)
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
		srv = &http.Server{
			Handler:           a.Handler,
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
		// Readiness fails first and the listener stays open meanwhile, so that load
		// balancers take this instance out before its connections are refused.
		a.draining.Store(true)
		time.Sleep(cfg.DrainDelay)
		shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Warn("http shutdown did not finish cleanly", "err", err)
		}
		cancel()
	}
	stopRiver(riverClient, cfg.ShutdownTimeout, logger)
	return err
}

// queues configures River's queues as db.Queues lists them.
func queues() map[string]river.QueueConfig {
	out := make(map[string]river.QueueConfig, len(db.Queues))
	for name, workers := range db.Queues {
		out[name] = river.QueueConfig{MaxWorkers: workers}
	}
	return out
}

func stopRiver(c *river.Client[pgx.Tx], timeout time.Duration, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		logger.Warn("river did not stop cleanly; cancelling running jobs", "err", err)
		_ = c.StopAndCancel(context.Background())
	}
}
