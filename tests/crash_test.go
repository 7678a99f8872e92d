package tests

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/internal/app"
	"github.com/arenaesports/arena/modules/registration"
)

// processEnv, set to a database URL, makes the test binary an Arena process on that
// database instead of running tests: a process the crash tests can SIGKILL. With
// processAddrEnv it is `arena serve` on that address; without, `arena worker`.
const processEnv, processAddrEnv = "ARENA_TEST_PROCESS_DATABASE_URL", "ARENA_TEST_PROCESS_ADDR"

// processPayoutChunkEnv sets the process's payout chunk (app.Config.PayoutChunk).
const processPayoutChunkEnv = "ARENA_TEST_PROCESS_PAYOUT_CHUNK"

// processWebhooksEnv, when set, lets the process's webhooks call the tests' local receivers
// and retry on testRetries.
const processWebhooksEnv = "ARENA_TEST_PROCESS_WEBHOOKS"

// arenaProcess runs Arena on url until it is killed or interrupted.
func arenaProcess(url, addr string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := app.DefaultConfig()
	pool, err := db.Open(ctx, url, int32(cfg.DBMaxConns), nil) // as `arena serve` opens it
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer pool.Close()
	cfg.Addr = addr
	cfg.PayoutChunk, _ = strconv.Atoi(os.Getenv(processPayoutChunkEnv))
	if os.Getenv(processWebhooksEnv) != "" {
		cfg.WebhookAllowPrivate, cfg.WebhookRetries = true, crashRetries
	}
	a := app.New(pool, cfg, cfg.Logger(os.Stderr))
	run := a.Serve
	if addr == "" {
		run = a.Work
	}
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// startProcess starts this test binary as an Arena process on the harness's database:
// serving HTTP on addr, or, when addr is "", working the jobs only; env adds variables.
func (h *harness) startProcess(t testing.TB, addr string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), processEnv+"="+h.pool.Config().ConnString(), processAddrEnv+"="+addr)
	cmd.Env = append(cmd.Env, env...)
	logs, err := os.Create(fmt.Sprintf("%s/worker-%d.log", t.TempDir(), h.next()))
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = logs.Close()
	})
	return cmd
}

// TestRefundsSurviveAWorkerKilledMidChunk is issue 13's second finding. A cancelled
// tournament of 2 050 paid entrants is refunded in chunks of 500 by a worker process; the
// worker is SIGKILLed while it runs the last chunk, leaving that job "running" under a dead
// client. With River's default rescue (an hour) the refunds stalled; with Arena's
// (db.RescueStuckJobsAfter) a new worker finishes them within the minute, and every
// entrant is refunded exactly once.
func TestRefundsSurviveAWorkerKilledMidChunk(t *testing.T) {
	// Not parallel: holding a wallet row holds a transaction id open across the cluster,
	// and the event log shows nothing newer until it ends (docs/events.md), so every test
	// that follows the log would stall behind it for as long as this one holds.
	if testing.Short() {
		t.Skip("starts worker processes and waits for River's rescue: not in -short")
	}
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	const n, fee = 2050, 500
	tid := h.paidSolo(t, org, n)
	ids, tokens := h.fastPlayers(t, "crash", n, fee)
	h.joinConcurrently(t, tid, n, func(i int) (string, map[string]any) { return tokens[i], map[string]any{} })

	// Hold the wallet account of the entrant refunded last (refunds go in registration
	// order), so that the worker refunds four chunks and then blocks inside the fifth.
	ctx := context.Background()
	var last string
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT registered_by::text FROM registrations WHERE tournament_id = $1
		ORDER BY id DESC LIMIT 1`, tid).Scan(&last))
	hold := h.holdWallet(t, last)

	first := h.startProcess(t, "")
	h.call(t, "POST", "/v1/tournaments/"+tid+"/cancel", org, nil).requireStatus(t, http.StatusOK)
	jobs, err := river.NewClient(riverpgxv5.New(h.pool), &river.Config{})
	require.NoError(t, err)
	h.awaitCrossProcess(t, "the worker to block in the last refund chunk", func() bool {
		running, err := jobs.JobList(ctx, river.NewJobListParams().Kinds(registration.RefundArgs{}.Kind()).
			States(rivertype.JobStateRunning))
		require.NoError(t, err)
		return h.refunded(t, tid) == 2000 && len(running.Jobs) == 1
	})

	require.NoError(t, first.Process.Kill()) // SIGKILL: no cleanup, the job stays "running"
	_, _ = first.Process.Wait()
	require.NoError(t, hold.Rollback(ctx))
	killed := time.Now()
	h.startProcess(t, "")
	h.awaitCrossProcess(t, "the new worker to finish the refunds", func() bool { return h.refunded(t, tid) == n })
	t.Logf("all %d refunded %s after the SIGKILL", n, time.Since(killed).Round(100*time.Millisecond))

	var transfers, wrong int
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM wallet_transfers WHERE kind = 'refund'`).Scan(&transfers))
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM wallet_accounts WHERE kind = 'user' AND owner_id = ANY($1)
		AND balance <> $2`, ids, fee).Scan(&wrong))
	require.Equal(t, n, transfers, "every entrant refunded exactly once")
	require.Zero(t, wrong, "every wallet back to what it held before the join")
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", h.staff(t, "auditor", "admin"), nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"], "audit: %s", audit.Raw)
}

// joinConcurrently makes n registrations for a tournament from eight clients at once; entry
// i is made with the token and body join gives for it.
func (h *harness) joinConcurrently(t testing.TB, tid string, n int, join func(i int) (token string, body map[string]any)) {
	t.Helper()
	var wg sync.WaitGroup
	failures := make(chan string, n)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				token, body := join(i)
				r, err := h.request("POST", "/v1/tournaments/"+tid+"/registrations", token, body, "Idempotency-Key", "join")
				if err != nil || r.Status != http.StatusCreated {
					failures <- fmt.Sprintf("join %d: %v %d %s", i, err, r.Status, r.Raw)
				}
			}
		})
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Fatal(f)
	}
}

// holdWallet locks a user's wallet account in a transaction of the test's until it rolls
// it back: whatever moves that user's money blocks there, mid-request or mid-chunk, for a
// crash to land in.
func (h *harness) holdWallet(t *testing.T, userID string) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	hold, err := h.pool.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = hold.Rollback(ctx) })
	_, err = hold.Exec(ctx, `SELECT 1 FROM wallet_accounts WHERE kind = 'user' AND owner_id = $1 FOR UPDATE`, userID)
	require.NoError(t, err)
	return hold
}

// crashRecoveryLimit is the bound on how long a crash may delay work: a worker
// killed mid-chunk is replaced and its chunk done again within it. It is a requirement of
// the design (River's default rescue would take an hour), not a measurement of speed.
const crashRecoveryLimit = time.Minute

// awaitCrossProcess checks done until it holds, failing after crashRecoveryLimit. Another
// process does the work, so there is no in-process River event to wait on; it polls.
func (h *harness) awaitCrossProcess(t testing.TB, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(crashRecoveryLimit)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", crashRecoveryLimit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// refunded is how many of a cancelled tournament's entrants have their fee back.
func (h *harness) refunded(t *testing.T, tid string) int {
	t.Helper()
	var n int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT count(*) FROM registration_members
		WHERE tournament_id = $1 AND refunded_at IS NOT NULL`, tid).Scan(&n))
	return n
}

// TestIdempotencyKeyOfAKilledRequestIsTakenOver is issue 13's third finding. A deposit is
// sent to a server process that is SIGKILLed while the request runs (blocked on the
// player's wallet account, which the test holds). Its Idempotency-Key used to answer 409
// "still being processed" for five minutes; the key now belongs to its request only while
// the request renews it, so a retry with the same key, to another server, is taken over
// within seconds and deposits once.
func TestIdempotencyKeyOfAKilledRequestIsTakenOver(t *testing.T) {
	// Not parallel: holding a wallet row holds a transaction id open across the cluster,
	// and the event log shows nothing newer until it ends (docs/events.md), so every test
	// that follows the log would stall behind it for as long as this one holds.
	if testing.Short() {
		t.Skip("starts a server process: not in -short")
	}
	h := newHarness(t, nil)
	ctx := context.Background()
	admin := h.staff(t, "root", "admin")
	userID, _ := h.player(t, "pam")
	h.call(t, "POST", "/v1/admin/users/"+userID+"/deposits", admin, map[string]any{"amount": 1, "currency": "EUR"},
		"Idempotency-Key", "open the account").requireStatus(t, http.StatusCreated)

	hold := h.holdWallet(t, userID)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	doomed := h.startProcess(t, addr)
	other := &harness{url: "http://" + addr} // requests only, to the doomed process
	h.awaitCrossProcess(t, "the server process to answer", func() bool {
		r, err := other.request("GET", "/readyz", "", nil)
		return err == nil && r.Status == http.StatusOK
	})
	path, body := "/v1/admin/users/"+userID+"/deposits", map[string]any{"amount": 5000, "currency": "EUR"}
	go func() { _, _ = other.request("POST", path, admin, body, "Idempotency-Key", "once") }()
	h.awaitCrossProcess(t, "the deposit to hold its key", func() bool {
		var n int
		require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM idempotency_keys WHERE key = 'once' AND response IS NULL`).Scan(&n))
		return n == 1
	})
	h.call(t, "POST", path, admin, body, "Idempotency-Key", "once").requireProblem(t, http.StatusConflict, "conflict")

	require.NoError(t, doomed.Process.Kill())
	_, _ = doomed.Process.Wait()
	require.NoError(t, hold.Rollback(ctx))
	killed := time.Now()
	var taken response
	h.awaitCrossProcess(t, "a retry to take the key over", func() bool {
		taken = h.call(t, "POST", path, admin, body, "Idempotency-Key", "once")
		return taken.Status != http.StatusConflict
	})
	taken.requireStatus(t, http.StatusCreated)
	t.Logf("the key was taken over %s after the SIGKILL", time.Since(killed).Round(100*time.Millisecond))
	h.call(t, "POST", path, admin, body, "Idempotency-Key", "once").requireStatus(t, http.StatusCreated)

	var deposits int
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM wallet_transfers WHERE kind = 'deposit' AND amount = 5000`).Scan(&deposits))
	require.Equal(t, 1, deposits, "deposited once")
}
