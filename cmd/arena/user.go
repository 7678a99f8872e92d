package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/identity"
)

// userCommand runs `arena user create`, which bootstraps accounts (the first admin of a new
// install) from the shell. The password comes on stdin so it never appears in argv or
// shell history.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	const use = "usage: arena user create --email E --handle H --password-stdin [--role admin|organizer|player] [--display-name N]"
	if len(args) > 0 && isHelp(args[0]) {
		_, err := fmt.Fprintln(stdout, use)
		return err
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New(use)
	}
	var email, handle, displayName, role, password string
	var passwordStdin bool
	flags := func(fs *flag.FlagSet) func() error {
		fs.StringVar(&email, "email", "", "login email (required)")
		fs.StringVar(&handle, "handle", "", "public handle, 3–32 of a-z, 0-9, _ (required)")
		fs.StringVar(&displayName, "display-name", "", "display name (default: the handle)")
		fs.StringVar(&role, "role", arena.RolePlayer, "admin, organizer or player")
		fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input (required)")
		return func() error {
			if email == "" || handle == "" || !passwordStdin {
				return errors.New("--email, --handle and --password-stdin are required")
			}
			if displayName == "" {
				displayName = handle
			}
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read password: %w", err)
			}
			password = strings.TrimRight(line, "\r\n")
			return nil
		}
	}
	return withDatabase(ctx, "user create", args[1:], getenv, stderr, flags, func(d database) error {
		if err := db.Migrate(ctx, d.pool, slog.New(slog.DiscardHandler)); err != nil {
			return err
		}
		svc := identity.New(d.pool, identity.Config{})
		u, err := svc.CreateUser(ctx, identity.NewUser{Email: email, Handle: handle, DisplayName: displayName, Password: password}, []string{role})
		if err != nil {
			if code := arena.ErrorCode(err); code != arena.EINTERNAL {
				return errors.New(arena.ErrorMessage(err))
			}
			return err
		}
		_, err = fmt.Fprintf(stdout, "created user %s (@%s) with roles %s\n", u.ID, u.Handle, strings.Join(u.Roles, ","))
		return err
	})
}
