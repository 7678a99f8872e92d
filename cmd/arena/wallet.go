package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/arenaesports/arena/modules/wallet"
)

// walletCommand runs `arena wallet audit`: it prints every violation of the books (with
// -json, as GET /v1/admin/wallet/audit answers) and fails when there is any, so it can run
// from cron or a deploy check.
func walletCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const use = "usage: arena wallet audit [-json]"
	if len(args) > 0 && isHelp(args[0]) {
		_, err := fmt.Fprintln(stdout, use)
		return err
	}
	if len(args) == 0 || args[0] != "audit" {
		return errors.New(use)
	}
	var asJSON bool
	flags := func(fs *flag.FlagSet) func() error {
		fs.BoolVar(&asJSON, "json", false, "print the result as JSON: {ok, violations}")
		return nil
	}
	return withDatabase(ctx, "wallet audit", args[1:], getenv, stderr, flags, func(d database) error {
		if err := requireCurrentSchema(ctx, d, "run `arena migrate` first"); err != nil {
			return err
		}
		violations, err := wallet.New(d.pool, wallet.Config{}).Audit(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			if err := json.NewEncoder(stdout).Encode(map[string]any{"ok": len(violations) == 0,
				"violations": append([]wallet.Violation{}, violations...)}); err != nil {
				return err
			}
		} else {
			for _, v := range violations {
				fmt.Fprintf(stdout, "VIOLATION %s %s amount=%d\n", v.Kind, v.Subject, v.Amount)
			}
		}
		if len(violations) > 0 {
			return fmt.Errorf("wallet audit: %d violation(s)", len(violations))
		}
		if !asJSON {
			_, err = fmt.Fprintln(stdout, "wallet audit: the books balance")
		}
		return err
	})
}
