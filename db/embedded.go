package db

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The superuser and database of an embedded cluster. Access is trust on 127.0.0.1 only:
// the cluster is a private development or test database, never a production one.
const (
	embeddedUser     = "arena"
	embeddedDatabase = "arena"
)

// EmbeddedOptions configures StartEmbedded.
type EmbeddedOptions struct {
	// Dir is the cluster's data folder. It is created (and initdb'd) when missing and kept
	// afterwards, so data survives restarts.
	Dir string
	// Settings are extra server settings (-c name=value), e.g. fsync=off for throwaway test
	// clusters.
	Settings map[string]string
	// Logger receives progress messages.
	Logger *slog.Logger
}

// Embedded is a Postgres cluster run from the machine's installed server binaries. When
// another process already runs the cluster in the same folder, Embedded attaches to it and
// Stop leaves it running.
type Embedded struct {
	// URL connects to the cluster's "arena" database as its superuser.
	URL  string
	port int
	cmd  *exec.Cmd
	exit chan error // receives the server process's exit once
}

// StartEmbedded starts (or attaches to) the cluster in opts.Dir and waits until it accepts
// connections. Postgres refuses to run as root, so when this process is root the server
// runs as the "postgres" system user.
func StartEmbedded(ctx context.Context, opts EmbeddedOptions) (*Embedded, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if e, ok := attach(ctx, dir); ok {
		logger.Info("using embedded postgres started by another process", "dir", dir, "port", e.port)
		return e, nil
	}

	bin, err := serverBinaries()
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	// The parent stays enterable by the server's user (when we are root, "postgres"); the
	// data folder itself must be private to it, or Postgres refuses to start.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("embedded postgres: create %s: %w", filepath.Dir(dir), err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("embedded postgres: create %s: %w", dir, err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, fmt.Errorf("embedded postgres: chown %s to postgres: %w", dir, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		logger.Info("initialising embedded postgres", "dir", dir, "bin", bin)
		initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", dir, "-U", embeddedUser,
			"--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
		initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := initdb.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("embedded postgres: initdb in %s failed (the postgres user needs access to every parent folder): %w\n%s", dir, err, out)
		}
	}

	// A free port now may be taken by the time the server binds it; the server then exits
	// and the whole start is retried once with a new port.
	var e *Embedded
	for attempt := 0; ; attempt++ {
		e, err = launch(ctx, bin, dir, cred, opts.Settings)
		if err == nil || attempt == 2 {
			break
		}
		if other, ok := attach(ctx, dir); ok { // lost a race with another process
			return other, nil
		}
	}
	if err != nil {
		return nil, err
	}
	if err := e.ensureDatabase(ctx); err != nil {
		e.Stop()
		return nil, err
	}
	logger.Info("embedded postgres ready", "dir", dir, "port", e.port)
	return e, nil
}

// Stop shuts the cluster down (fast shutdown: open sessions are ended) and waits for it to
// exit. It does nothing when this process attached to another's cluster.
func (e *Embedded) Stop() {
	if e.cmd == nil {
		return
	}
	_ = e.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-e.exit:
	case <-time.After(30 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.exit
	}
	e.cmd = nil
}

// Port is the loopback TCP port the cluster listens on.
func (e *Embedded) Port() int { return e.port }

func launch(ctx context.Context, bin, dir string, cred *syscall.Credential, settings map[string]string) (*Embedded, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"-D", dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="}
	for _, k := range slices.Sorted(maps.Keys(settings)) {
		args = append(args, "-c", k+"="+settings[k])
	}
	logPath := filepath.Join(filepath.Dir(dir), filepath.Base(dir)+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embedded postgres: open log: %w", err)
	}
	defer logFile.Close()

	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		// Own process group: a Ctrl-C in the terminal reaches only us, and we stop the
		// server after the API has drained. If we die, the server is told to shut down.
		Setpgid:   true,
		Pdeathsig: syscall.SIGINT,
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("embedded postgres: start: %w", err)
	}
	e := &Embedded{URL: embeddedURL(port, embeddedDatabase), port: port, cmd: cmd, exit: make(chan error, 1)}
	go func() { e.exit <- cmd.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, embeddedURL(port, "postgres"))
		if err == nil {
			conn.Close(ctx)
			return e, nil
		}
		select {
		case err := <-e.exit:
			return nil, fmt.Errorf("embedded postgres exited during start (%v); see %s", err, logPath)
		case <-ctx.Done():
			e.Stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			e.Stop()
			return nil, fmt.Errorf("embedded postgres did not accept connections within 60s; see %s", logPath)
		}
	}
}

// attach connects to a cluster that another live process runs in dir, found through the
// postmaster.pid file Postgres writes (line 1: pid, line 4: port).
func attach(ctx context.Context, dir string) (*Embedded, bool) {
	f, err := os.Open(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var lines []string
	for s := bufio.NewScanner(f); s.Scan() && len(lines) < 4; {
		lines = append(lines, strings.TrimSpace(s.Text()))
	}
	if len(lines) < 4 {
		return nil, false
	}
	pid, err1 := strconv.Atoi(lines[0])
	port, err2 := strconv.Atoi(lines[3])
	if err1 != nil || err2 != nil || syscall.Kill(pid, 0) == syscall.ESRCH {
		return nil, false
	}
	e := &Embedded{URL: embeddedURL(port, embeddedDatabase), port: port}
	// The server may still be starting; give it the same grace a fresh start gets.
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, embeddedURL(port, "postgres"))
		if err == nil {
			conn.Close(ctx)
			return e, e.ensureDatabase(ctx) == nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil || syscall.Kill(pid, 0) == syscall.ESRCH {
			return nil, false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (e *Embedded) ensureDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, embeddedURL(e.port, "postgres"))
	if err != nil {
		return fmt.Errorf("embedded postgres: connect: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", embeddedDatabase).Scan(&exists); err != nil {
		return fmt.Errorf("embedded postgres: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+embeddedDatabase); err != nil && !isDuplicateDatabase(err) {
		return fmt.Errorf("embedded postgres: create database: %w", err)
	}
	return nil
}

// serverBinaries finds the folder holding initdb and postgres: PATH first, then the newest
// /usr/lib/postgresql/<version>/bin (where Debian's postgresql package puts them).
func serverBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(matches, func(a, b string) int { return versionOf(b) - versionOf(a) })
	for _, m := range matches {
		dir := filepath.Dir(m)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	return "", errors.New("embedded postgres: no server binaries (initdb, postgres) on PATH or under /usr/lib/postgresql/*/bin; " +
		"install them (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to an existing database")
}

func versionOf(initdbPath string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdbPath))))
	return v
}

// serverCredential returns the credential the server processes run with: nil (ours) unless
// we are root, in which case the "postgres" system user's.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("embedded postgres: running as root, but there is no 'postgres' system user to run the server as " +
			"(Postgres refuses root); run as another user or set DATABASE_URL")
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("embedded postgres: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func embeddedURL(port int, database string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", embeddedUser, port, database)
}

func isDuplicateDatabase(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42P04" // duplicate_database
}
