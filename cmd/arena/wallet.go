package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/arenaesports/arena/modules/wallet"
)

// walletCommand runs `arena wallet audit`: it prints every violation of the books and
// fails when there is any, so it can run from cron or a deploy check.
func walletCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		_, err := fmt.Fprintln(stdout, "usage: arena wallet audit")
		return err
	}
	if len(args) == 0 || args[0] != "audit" {
		return errors.New("usage: arena wallet audit")
	}
	return withDatabase(ctx, "wallet audit", args[1:], getenv, stderr, nil, func(d database) error {
		if err := requireCurrentSchema(ctx, d, "run `arena migrate` first"); err != nil {
			return err
		}
		violations, err := wallet.New(d.pool, wallet.Config{}).Audit(ctx)
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
	})
}
