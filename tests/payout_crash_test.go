package tests

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/modules/wallet"
)

// bigPayout is a completed tournament of 1 024 five-player teams whose 64 paid places make
// 320 prize transfers: the fault-test and benchmark tournament.
type bigPayout struct {
	tid     string
	org     string
	members []uuid.UUID // every member, each funded with exactly the entry fee
}

// bigTeamTournament registers 1 024 teams of five (each member paying 500) in a single
// elimination tournament with 64 paid places and starts it. Completed at once (complete),
// every entrant is still in, so the final standings rank them by seed, 1 to 1 024.
func (h *harness) bigTeamTournament(t testing.TB) bigPayout {
	t.Helper()
	const teams, size, fee = 1024, 5, 500
	_, org := h.staffWithGame(t)
	body := h.withoutCheckIn(fmt.Sprintf("Big %d", h.next()), "single_elimination", teams)
	dist := []int{37}
	for range 63 {
		dist = append(dist, 1)
	}
	body["participant_type"], body["prize_distribution"], body["platform_fee_bps"] = "team", dist, 500
	tid := h.openRegistration(t, org, body)
	ids, tokens := h.fastPlayers(t, fmt.Sprintf("big%d_", h.next()), teams*size, fee)
	teamIDs, captains, users := make([]uuid.UUID, teams), make([]uuid.UUID, teams), make([]uuid.UUID, 0, teams*size)
	teamOf := make([]uuid.UUID, 0, teams*size)
	for i := range teams {
		teamIDs[i], captains[i] = uuid.New(), ids[i*size]
		for j := range size {
			users, teamOf = append(users, ids[i*size+j]), append(teamOf, teamIDs[i])
		}
	}
	ctx := context.Background()
	_, err := h.pool.Exec(ctx, `INSERT INTO teams (id, name, captain_id, max_members, created_at, updated_at)
		SELECT id, 'Big ' || id::text, captain, 5, now(), now() FROM unnest($1::uuid[], $2::uuid[]) AS x(id, captain)`, teamIDs, captains)
	require.NoError(t, err)
	_, err = h.pool.Exec(ctx, `INSERT INTO team_members (team_id, user_id, joined_at)
		SELECT team, member, now() FROM unnest($1::uuid[], $2::uuid[]) AS x(team, member)`, teamOf, users)
	require.NoError(t, err)
	h.joinConcurrently(t, tid, teams, func(i int) (string, map[string]any) {
		return tokens[i*size], map[string]any{"team_id": teamIDs[i]}
	})
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, nil).requireStatus(t, http.StatusOK)
	return bigPayout{tid: tid, org: org, members: ids}
}

// complete completes the tournament, which enqueues its payout.
func (big bigPayout) complete(t testing.TB, h *harness) {
	t.Helper()
	h.call(t, "POST", "/v1/tournaments/"+big.tid+"/complete", big.org, nil).requireStatus(t, http.StatusOK)
}

// payoutStatus is the tournament's payout status ("" before it is planned).
func (big bigPayout) payoutStatus(t testing.TB, h *harness) string {
	t.Helper()
	var status string
	err := h.pool.QueryRow(context.Background(), `SELECT coalesce((SELECT status FROM payouts WHERE tournament_id = $1), '')`, big.tid).Scan(&status)
	require.NoError(t, err)
	return status
}

// TestPayoutSurvivesWorkersKilledMidPayout is the fault test. The 320 prize
// transfers of bigTeamTournament are paid one entry (five transfers) per job by worker
// processes, each SIGKILLed during the payout, 20 times: half of them inside a chunk's
// transaction (blocked on a wallet the test holds), half at a random moment right after
// the test terminated the worker's database sessions. A job its worker
// died in stays "running" until River's rescuer frees it (TestRefundsSurviveAWorker-
// KilledMidChunk proves that within a minute); here the test frees it at once, as the
// rescuer would, so that 20 kills take seconds. After the last kill a worker finishes:
// every recipient is paid exactly once, the fee and the rounding once, the escrow is empty
// and the books are clean.
func TestPayoutSurvivesWorkersKilledMidPayout(t *testing.T) {
	// Not parallel: holding a wallet row holds a transaction id open across the cluster,
	// and the event log shows nothing newer until it ends (docs/events.md), so every test
	// that follows the log would stall behind it for as long as this one holds.
	if testing.Short() {
		t.Skip("starts worker processes: not in -short")
	}
	h := newHarness(t, nil)
	big := h.bigTeamTournament(t)
	big.complete(t, h)
	ctx := context.Background()
	paid := func() (n int) {
		require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM wallet_transfers WHERE kind = 'prize' AND reference = $1`, big.tid).Scan(&n))
		return n
	}
	running := func() (n int) {
		require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'running' AND kind = 'payout.pay'`).Scan(&n))
		return n
	}
	kills, interrupted, backends := 0, 0, 0
	for kills < 20 && paid() < 320 {
		before := paid()
		var hold pgx.Tx
		if kills%2 == 1 { // block the next chunk inside its transaction, on its first member's wallet
			var next string
			err := h.pool.QueryRow(ctx, `SELECT user_id::text FROM payout_recipients WHERE tournament_id = $1
				AND paid_at IS NULL ORDER BY place, seed, user_id LIMIT 1`, big.tid).Scan(&next)
			switch {
			case errors.Is(err, pgx.ErrNoRows): // not planned yet (the last worker died first): a plain kill
			case err != nil:
				require.NoError(t, err)
			default:
				hold = h.holdWallet(t, next)
			}
		}
		worker := h.startWorkerProcess(t, 1)
		deadline := time.Now().Add(time.Duration(rand.IntN(1500)) * time.Millisecond)
		for hold == nil && time.Now().Before(deadline) && paid() == before {
			time.Sleep(2 * time.Millisecond) // a random moment, or just after a chunk committed
		}
		if hold == nil { // the worker's database sessions die first: it retries, and is killed anyway
			var n int
			require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE application_name = $1`, workerApp).Scan(&n))
			backends += n
		}
		if hold != nil {
			h.awaitCrossProcess(t, "a chunk to block on the held wallet", func() bool { return running() == 1 })
		}
		time.Sleep(time.Duration(rand.IntN(15)) * time.Millisecond)
		require.NoError(t, worker.Process.Kill())
		_, _ = worker.Process.Wait()
		if hold != nil {
			require.NoError(t, hold.Rollback(ctx))
		}
		kills++
		// What River's rescuer does to a job whose worker died, without waiting for it.
		tag, err := h.pool.Exec(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now()
			WHERE state = 'running' AND kind IN ('tournament.completed', 'payout.pay')`)
		require.NoError(t, err)
		interrupted += int(tag.RowsAffected())
	}
	t.Logf("%d SIGKILLs, %d of them inside a job, %d backends terminated, %d of 320 prizes paid by then", kills, interrupted, backends, paid())
	require.Equal(t, 20, kills, "the payout outlasted 20 kills")
	h.startWorkerProcess(t, 1)
	h.awaitCrossProcess(t, "the last worker to finish the payout", func() bool { return big.payoutStatus(t, h) == "paid" })

	require.Equal(t, 320, paid(), "each of the 64 places' five members paid once")
	var keys, fees, wrong, rounding int
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(DISTINCT idempotency_key) FROM wallet_transfers WHERE kind = 'prize' AND reference = $1`,
		big.tid).Scan(&keys))
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM wallet_transfers WHERE kind IN ('platform_fee', 'prize_rounding') AND reference = $1`,
		big.tid).Scan(&fees))
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM wallet_accounts a
		LEFT JOIN payout_recipients r ON r.user_id = a.owner_id AND r.tournament_id = $2
		WHERE a.kind = 'user' AND a.owner_id = ANY($1) AND a.balance <> coalesce(r.amount, 0)`, big.members, big.tid).Scan(&wrong))
	require.Equal(t, 320, keys)
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT rounding FROM payouts WHERE tournament_id = $1`, big.tid).Scan(&rounding))
	require.Equal(t, 1+min(rounding, 1), fees, "the platform's fee and any rounding, once each")
	require.Zero(t, wrong, "every member holds exactly their prize (their fee went in)")
	require.Equal(t, int64(0), h.escrow(t, big.tid))
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", h.staff(t, "auditor", "admin"), nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"], "audit: %s", audit.Raw)
}

// BenchmarkPayout measures the payout of bigTeamTournament (320 prize transfers and the
// fee, chunks of 100 entries), from the completion's commit to the payout marked paid by
// this process's River workers (the plan job, then the chunk: two River fetches included), against the same 320 transfers made the way the seed
// audits found them made: one transfer per transaction. Setup (5 120 players, 1 024 paid
// team joins, their notice jobs worked off) is outside the timer.
func BenchmarkPayout(b *testing.B) {
	var payout, oneByOne time.Duration
	for range b.N {
		b.StopTimer()
		h := newHarness(b, nil)
		big := h.bigTeamTournament(b)
		w := h.startWorkers(b)
		w.WaitIdle(b)
		big.complete(b, h)
		b.StartTimer()
		start := time.Now()
		for big.payoutStatus(b, h) != "paid" {
			time.Sleep(time.Millisecond)
		}
		payout += time.Since(start)
		b.StopTimer()
		w.WaitIdle(b) // the completion's other follow-ups (ratings) do not run beside the baseline
		start = time.Now()
		for i, m := range big.members[:320] {
			_, err := h.app.Wallet.TransferMany(context.Background(), []wallet.Leg{{Debit: wallet.WorldAccount(), Credit: wallet.UserAccount(m),
				Amount: 1, Currency: "EUR", Kind: wallet.Deposit, Reference: "one by one", Key: fmt.Sprint(i)}})
			require.NoError(b, err)
		}
		oneByOne += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(payout.Seconds()*1000/n, "payout-ms")
	b.ReportMetric(320*n/payout.Seconds(), "transfers/s")
	b.ReportMetric(320*n/oneByOne.Seconds(), "one-by-one-transfers/s")
	b.ReportMetric(oneByOne.Seconds()/payout.Seconds(), "speedup")
}

// workerApp names the worker processes' database sessions, for the test to kill them.
const workerApp = "arena_payout_worker"

// startWorkerProcess starts a worker process (see startProcess) whose payout jobs pay
// chunk entries each.
func (h *harness) startWorkerProcess(t *testing.T, chunk int) *exec.Cmd {
	t.Helper()
	named := h.pool.Config().ConnString() + "&application_name=" + workerApp // the last value of a key counts
	return h.startProcess(t, "", processPayoutChunkEnv+"="+fmt.Sprint(chunk), processEnv+"="+named)
}
