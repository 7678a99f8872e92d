// Command arena runs the Arena API and its River workers, applies migrations, manages
// accounts and the books, and prints the OpenAPI document. run dispatches the subcommands;
// the application itself is wired in internal/app.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "arena:", err)
		os.Exit(1)
	}
}

const usage = `Usage: arena <command> [flags]

Commands:
  serve      run the API and the background workers
  worker     run the background workers only
  migrate    apply database migrations (idempotent); migrate status: list them, fail if any is pending
  user       user create: add an account, e.g. the first admin (password on stdin)
  wallet     wallet audit [-json]: check the books; exits non-zero on any violation
  openapi    print the OpenAPI document (-spec 3.1|3.0)

  help       print this list

Run "arena <command> -h" for the flags of a command. Every flag can also be set by the
environment variable named in its help.
`

// run executes one command. It returns when the command is done or, for serve and worker,
// after ctx is cancelled and everything has shut down. Asking for help — no command,
// help, -h or --help, or a command's -h — is not an error.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, getenv, stdin, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the command's flags were printed
	}
	return err
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

func dispatch(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	name, rest := "help", args[1:]
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if isHelp(name) {
		_, err := io.WriteString(stdout, usage)
		return err
	}
	switch name {
	case "serve":
		return serve(ctx, rest, getenv, stderr, true)
	case "worker":
		return serve(ctx, rest, getenv, stderr, false)
	case "migrate":
		return migrate(ctx, rest, getenv, stdout, stderr)
	case "user":
		return userCommand(ctx, rest, getenv, stdin, stdout, stderr)
	case "wallet":
		return walletCommand(ctx, rest, getenv, stdout, stderr)
	case "openapi":
		return printOpenAPI(rest, stdout, stderr)
	default:
		return fmt.Errorf("unknown command %q\n\n%s", name, usage)
	}
}
