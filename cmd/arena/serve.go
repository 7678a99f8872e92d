package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/internal/app"
)

// serve runs `arena serve` (withHTTP: migrations, then the API and the workers) or
// `arena worker` (the workers only, on a current schema) until ctx is cancelled; it
// returns once the app has drained and the database is closed.
func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, withHTTP bool) error {
	name := "serve"
	if !withHTTP {
		name = "worker"
	}
	return withDatabase(ctx, name, args, getenv, stderr, nil, func(d database) error {
		if withHTTP {
			if err := db.Migrate(ctx, d.pool, d.logger); err != nil {
				return err
			}
			return app.New(d.pool, d.cfg, d.logger).Serve(ctx)
		}
		if err := requireCurrentSchema(ctx, d, "run `arena migrate` (or `arena serve`) first"); err != nil {
			return err
		}
		return app.New(d.pool, d.cfg, d.logger).Work(ctx)
	})
}

// migrate applies Arena's and River's migrations.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "status" {
		return migrateStatus(ctx, args[1:], getenv, stdout, stderr)
	}
	return withDatabase(ctx, "migrate", args, getenv, stderr, nil, func(d database) error {
		if err := db.Migrate(ctx, d.pool, d.logger); err != nil {
			return err
		}
		d.logger.Info("database schema is current")
		return nil
	})
}

// requireCurrentSchema fails, telling the operator to run what hint says, when a
// migration is pending.
func requireCurrentSchema(ctx context.Context, d database, hint string) error {
	pending, err := db.Pending(ctx, d.pool)
	if err != nil {
		return err
	}
	if pending {
		return errors.New("the database schema is not current: " + hint)
	}
	return nil
}

// migrateStatus runs `arena migrate status`: every migration, applied (when) or pending,
// and River's schema; it fails when anything is pending, so a deploy can check first.
func migrateStatus(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return withDatabase(ctx, "migrate status", args, getenv, stderr, nil, func(d database) error {
		migrations, riverCurrent, err := db.Status(ctx, d.pool)
		if err != nil {
			return err
		}
		pending := 0
		for _, m := range migrations {
			state := "applied " + m.AppliedAt.UTC().Format(time.RFC3339)
			if m.AppliedAt.IsZero() {
				state, pending = "pending", pending+1
			}
			fmt.Fprintf(stdout, "%-28s %s\n", state, m.Source)
		}
		river := "current"
		if !riverCurrent {
			river, pending = "pending", pending+1
		}
		fmt.Fprintf(stdout, "%-28s river's job tables\n", river)
		if pending > 0 {
			return fmt.Errorf("%d migration(s) pending: run `arena migrate`", pending)
		}
		return nil
	})
}
