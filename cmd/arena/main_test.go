package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/modules/wallet"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestRunServesAndShutsDown runs the real program on a free port against a fresh database,
// waits for readiness, checks problem responses, and shuts it down with the context.
func TestRunServesAndShutsDown(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"DATABASE_URL":     dbtest.URL(t),
		"ARENA_ADDR":       "127.0.0.1:0",
		"ARENA_LOG_FORMAT": "json",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := watchLogs()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"arena", "serve"}, func(k string) string { return env[k] }, nil, io.Discard, logs.w)
		logs.w.Close()
		done <- err
	}()

	var base string
	select {
	case base = <-logs.listening:
	case err := <-done:
		t.Fatalf("run exited early: %v\n%s", err, <-logs.all)
	case <-time.After(time.Minute):
		t.Fatal("the server never listened")
	}
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 30*time.Second, 20*time.Millisecond)

	t.Run("UnknownPathIsProblem", func(t *testing.T) {
		resp, err := http.Get(base + "/v1/no-such-thing")
		require.NoError(t, err)
		p := decodeProblem(t, resp)
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Equal(t, "not_found", p["code"])
		require.NotEmpty(t, resp.Header.Get("X-Request-Id"))
	})
	t.Run("WrongMethodIsProblem", func(t *testing.T) {
		resp, err := http.Post(base+"/readyz", "application/json", strings.NewReader("{}"))
		require.NoError(t, err)
		p := decodeProblem(t, resp)
		require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
		require.Equal(t, "invalid", p["code"])
		require.Contains(t, resp.Header.Get("Allow"), "GET")
	})
	t.Run("OversizedBodyIsProblem", func(t *testing.T) {
		body := `{"email":"x@y.z","handle":"abc","display_name":"` + strings.Repeat("a", 2<<20) + `","password":"12345678"}`
		resp, err := http.Post(base+"/v1/auth/register", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		p := decodeProblem(t, resp)
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		require.Equal(t, "invalid", p["code"])
	})
	t.Run("ServesCommittedOpenAPI", func(t *testing.T) {
		resp, err := http.Get(base + "/openapi.yaml")
		require.NoError(t, err)
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		want, err := os.ReadFile("../../openapi/openapi.yaml")
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	})

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	require.Contains(t, <-logs.all, `"msg":"River client stopped"`)
}

// logWatch reads the JSON log lines a command writes to w: it reports the address of
// the "http server listening" line on listening and, once w is closed, every line on all.
type logWatch struct {
	w         *io.PipeWriter
	listening chan string
	all       chan string
}

func watchLogs() logWatch {
	r, w := io.Pipe()
	l := logWatch{w: w, listening: make(chan string, 1), all: make(chan string, 1)}
	go func() {
		var all strings.Builder
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			all.Write(sc.Bytes())
			all.WriteByte('\n')
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "http server listening" {
				l.listening <- "http://" + line.Addr
			}
		}
		_, _ = io.Copy(io.Discard, r) // a line too long for the scanner must not block the writer
		l.all <- all.String()
	}()
	return l
}

func decodeProblem(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	require.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	var p map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	require.Equal(t, float64(resp.StatusCode), p["status"])
	return p
}

// TestUserCreateRefusesWeakPasswords: the bootstrap command applies the sign-up password
// rules, so the first admin cannot be "password" or its own handle.
func TestUserCreateRefusesWeakPasswords(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	getenv := func(k string) string { return map[string]string{"DATABASE_URL": pool.Config().ConnString()}[k] }
	for password, says := range map[string]string{"password1": "most common", "Bootstrap_Ada": "handle or email"} {
		var out bytes.Buffer
		err := run(context.Background(), []string{"arena", "user", "create", "--email", "root@example.com", "--handle", "bootstrap_ada",
			"--password-stdin"}, getenv, strings.NewReader(password+"\n"), &out, io.Discard)
		require.ErrorContains(t, err, says)
	}
}

// TestWalletAuditCommand creates an account with `arena user create`, deposits into it, and
// runs `arena wallet audit` against books that balance, then against books where a balance
// was tampered with, then with money in an account that belongs to no user.
func TestWalletAuditCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	env := map[string]string{"DATABASE_URL": pool.Config().ConnString()}
	getenv := func(k string) string { return env[k] }

	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"arena", "user", "create", "--email", "ada@example.com", "--handle", "ada", "--password-stdin"},
		getenv, strings.NewReader("a long password\n"), &out, io.Discard))
	var created string
	_, err := fmt.Sscanf(out.String(), "created user %s (@ada) with roles player", &created)
	require.NoError(t, err, "output: %s", out.String())
	id, err := uuid.Parse(created)
	require.NoError(t, err)
	_, err = wallet.New(pool, wallet.Config{}).TransferMany(ctx, []wallet.Leg{{Debit: wallet.WorldAccount(), Credit: wallet.UserAccount(id),
		Amount: 900, Currency: "EUR", Kind: wallet.Deposit, Reference: "test deposit", Key: "d"}})
	require.NoError(t, err)

	out.Reset()
	require.NoError(t, run(ctx, []string{"arena", "wallet", "audit"}, getenv, nil, &out, io.Discard))
	require.Contains(t, out.String(), "the books balance")

	_, err = pool.Exec(ctx, "UPDATE wallet_accounts SET balance = balance + 1 WHERE kind = 'user'")
	require.NoError(t, err)
	out.Reset()
	err = run(ctx, []string{"arena", "wallet", "audit"}, getenv, nil, &out, io.Discard)
	require.ErrorContains(t, err, "violation")
	require.Contains(t, out.String(), "VIOLATION unbalanced_currency EUR amount=1")
	require.Contains(t, out.String(), "VIOLATION balance_mismatch")
	out.Reset()
	require.Error(t, run(ctx, []string{"arena", "wallet", "audit", "-json"}, getenv, nil, &out, io.Discard))
	var audit struct {
		OK         bool             `json:"ok"`
		Violations []map[string]any `json:"violations"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &audit), out.String())
	require.False(t, audit.OK)
	require.Contains(t, audit.Violations, map[string]any{"kind": "unbalanced_currency", "subject": "EUR", "amount": float64(1)})

	// Money credited to a user who does not exist (as deposits could before they checked).
	_, err = wallet.New(pool, wallet.Config{}).TransferMany(ctx, []wallet.Leg{{Debit: wallet.WorldAccount(),
		Credit: wallet.UserAccount(uuid.New()), Amount: 70, Currency: "USD", Kind: wallet.Deposit, Reference: "test deposit", Key: "o"}})
	require.NoError(t, err)
	out.Reset()
	require.Error(t, run(ctx, []string{"arena", "wallet", "audit"}, getenv, nil, &out, io.Discard))
	require.Regexp(t, `VIOLATION ownerless_account [0-9a-f-]{36} amount=70\n`, out.String())
}

// TestMigrateStatus: `arena migrate status` lists every migration as applied on a current
// database and fails naming what is pending once one is not.
func TestMigrateStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	getenv := func(k string) string { return map[string]string{"DATABASE_URL": pool.Config().ConnString()}[k] }
	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"arena", "migrate", "status"}, getenv, nil, &out, io.Discard))
	require.Regexp(t, `applied \S+ +00001_\S+\.sql\n`, out.String())
	require.Contains(t, out.String(), "river's job tables")
	require.NotContains(t, out.String(), "pending")

	var latest int64
	require.NoError(t, pool.QueryRow(ctx, "DELETE FROM goose_db_version WHERE version_id = "+
		"(SELECT max(version_id) FROM goose_db_version) RETURNING version_id").Scan(&latest))
	out.Reset()
	require.ErrorContains(t, run(ctx, []string{"arena", "migrate", "status"}, getenv, nil, &out, io.Discard), "1 migration(s) pending")
	require.Regexp(t, fmt.Sprintf(`pending +%05d_\S+\.sql\n`, latest), out.String())
}

// TestHelpIsNotAnError: arena alone, help, -h and --help print the command list; a command's
// -h prints its own flags; none of them fails (exit 0). An unknown command does.
func TestHelpIsNotAnError(t *testing.T) {
	t.Parallel()
	noEnv := func(string) string { return "" }
	for _, args := range [][]string{{"arena"}, {"arena", "help"}, {"arena", "-h"}, {"arena", "--help"}} {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), args, noEnv, nil, &out, io.Discard), "%v", args)
		require.Contains(t, out.String(), "Commands:", "%v", args)
	}
	for _, command := range []string{"serve", "worker", "migrate", "openapi"} {
		var flags bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"arena", command, "-h"}, noEnv, nil, io.Discard, &flags), command)
		require.Contains(t, flags.String(), "Usage of arena "+command, command)
	}
	for _, command := range []string{"user", "wallet"} {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"arena", command, "-h"}, noEnv, nil, &out, io.Discard), command)
		require.Contains(t, out.String(), "usage: arena "+command, command)
	}
	require.Error(t, run(context.Background(), []string{"arena", "bogus"}, noEnv, nil, io.Discard, io.Discard))
}
