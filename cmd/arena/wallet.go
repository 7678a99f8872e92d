package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/wallet"
)

// walletCommand runs `arena wallet audit`: it prints every violation of the books and
// fails when there is any, so it can run from cron or a deploy check.
func walletCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "audit" {
		return errors.New("usage: arena wallet audit")
	}
	cfg, err := parseConfig("wallet audit", args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	pool, closeDB, err := openDatabase(ctx, cfg, cfg.logger(stderr))
	if err != nil {
		return err
	}
	defer closeDB()
	if pending, err := db.Pending(ctx, pool); err != nil {
		return err
	} else if pending {
		return errors.New("the database schema is not current: run `arena migrate` first")
	}
	violations, err := wallet.New(pool, wallet.Config{}).Audit(ctx)
	if err != nil {
		return err
	}
	for _, v := range violations {
		fmt.Fprintf(stdout, "VIOLATION %s %s amount=%d\n", v.Kind, v.Subject, v.Amount)
	}
	if len(violations) > 0 {
		return fmt.Errorf("wallet audit: %d violation(s)", len(violations))
	}
	_, err = fmt.Fprintln(stdout, "wallet audit: the books balance")
	return err
}
