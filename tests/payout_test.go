package tests

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/wallet"
)

// TestPrizesArePaidToTheEnd plays every format, solo and in teams of two, to its last match
// with a platform fee and an added prize, and follows the money: the prize table before the
// end, the payout the completion makes, each member paid by a prize transfer, the fee and
// the rounding to the platform, the escrow at zero and the books clean.
func TestPrizesArePaidToTheEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	admin := h.staff(t, "root", "admin")
	h.game(t, admin, "cs2")
	orgID, org := h.fastUser(t, "prize_org", "organizer")
	h.fund(t, orgID, 100_000)
	for _, format := range []string{"single_elimination", "double_elimination", "round_robin", "swiss"} {
		for _, teams := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/teams=%v", format, teams), func(t *testing.T) {
				body := h.withoutCheckIn(fmt.Sprintf("Prize %s %d", format, h.next()), format, 6)
				body["platform_fee_bps"], body["prize_distribution"] = 1000, []int{60, 30, 10}
				body["added_prize"] = map[string]any{"amount": 1001, "currency": "EUR"}
				tid, reporters := h.startedFrom(t, org, body, 6, teams)
				members := int64(6)
				if teams {
					members = 12
				}
				fees := members * 500
				pool := fees - fees/10 + 1001
				prizes := h.call(t, "GET", "/v1/tournaments/"+tid+"/prizes", "", nil).requireStatus(t, http.StatusOK).Body
				require.Equal(t, float64(pool), prizes["pool"], "%v", prizes)
				require.Equal(t, float64(fees/10), prizes["platform_fee"])
				require.Equal(t, float64(pool*60/100), prizes["places"].([]any)[0].(map[string]any)["amount"])

				h.playToTheEnd(t, w, tid, reporters)
				st := h.paidStatement(t, w, tid, org)
				require.Equal(t, float64(fees/10), st["platform_fee"])
				public := h.call(t, "GET", "/v1/tournaments/"+tid+"/payouts", "", nil).requireStatus(t, http.StatusOK).Body
				require.NotContains(t, public, "platform_fee", "the fee is the organizer's and admins' to see")
				require.Equal(t, st["places"], public["places"])

				standings := h.standingsByName(t, tid)
				for _, p := range st["places"].([]any) {
					place := p.(map[string]any)
					require.Equal(t, standings[place["name"].(string)]["rank"], place["rank"], "paid by final rank")
					require.Len(t, place["recipients"], int(members/6), "every member of the entry is paid")
					if place["place"] == float64(1) && place["shared"] == float64(1) {
						require.Equal(t, float64(pool*60/100), place["amount"])
					}
				}
				require.Equal(t, int64(0), h.escrow(t, tid), "the escrow ends at zero")
				types, _ := h.feedTypes(t, "", "&tournament_id="+tid)
				require.Contains(t, types, events.PrizePaid)
				payout := slices.DeleteFunc(slices.Clone(types), func(kind string) bool { return kind == events.LeaderboardUpdated })
				require.Equal(t, events.PayoutCompleted, payout[len(payout)-1],
					"the payout's end is the tournament's last event (the ratings, applied beside it, aside)")
				if !teams { // the winner's wallet history names the tournament the prize came from
					winner := st["places"].([]any)[0].(map[string]any)
					tx := h.call(t, "GET", "/v1/wallet/transactions", reporters[winner["name"].(string)], nil).requireStatus(t, http.StatusOK).
						Body["items"].([]any)[0].(map[string]any)
					require.Equal(t, "prize", tx["kind"])
					require.Equal(t, body["name"], tx["counterparty"].(map[string]any)["description"])
				}
			})
		}
	}
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"], "audit: %s", audit.Raw)
}

// TestAddedPrizeMovesWithTheLifecycle: publishing funds the added prize from the
// organizer's wallet (refused while it lacks the money), cancelling gives it back.
func TestAddedPrizeMovesWithTheLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	admin := h.staff(t, "root", "admin")
	h.game(t, admin, "cs2")
	orgID, org := h.fastUser(t, "added_org", "organizer")
	body := h.tournamentBody("cs2", "Added prize")
	body["added_prize"] = map[string]any{"amount": 5000, "currency": "EUR"}
	tid := h.call(t, "POST", "/v1/tournaments", org, body).requireStatus(t, http.StatusCreated).Body["id"].(string)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/publish", org, nil).requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "GET", "/v1/tournaments/"+tid, org, nil).requireStatus(t, http.StatusOK)
	h.fund(t, orgID, 7000)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/publish", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, int64(2000), h.walletBalance(t, orgID))
	require.Equal(t, int64(5000), h.escrow(t, tid))
	h.call(t, "PATCH", "/v1/tournaments/"+tid, org, map[string]any{"added_prize": map[string]any{"amount": 1, "currency": "EUR"}}).
		requireProblem(t, http.StatusConflict, "conflict")
	prizes := h.call(t, "GET", "/v1/tournaments/"+tid+"/prizes", "", nil).requireStatus(t, http.StatusOK).Body
	require.Equal(t, float64(5000), prizes["pool"])

	h.call(t, "POST", "/v1/tournaments/"+tid+"/cancel", org, nil).requireStatus(t, http.StatusOK)
	w.WaitIdle(t)
	require.Equal(t, int64(7000), h.walletBalance(t, orgID), "the added prize is back")
	require.Equal(t, int64(0), h.escrow(t, tid))
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"], "audit: %s", audit.Raw)
}

// TestManualPayoutWaitsForAnAdmin: with payout_review manual the completed tournament's
// prizes wait; an admin holds them (the organizer sees why, the public does not) and then
// approves them, and they are paid.
func TestManualPayoutWaitsForAnAdmin(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	admin, org := h.staffWithGame(t)
	body := h.withoutCheckIn("Reviewed", "single_elimination", 4)
	body["payout_review"] = "manual"
	tid, reporters := h.startedFrom(t, org, body, 4, false)
	h.playToTheEnd(t, w, tid, reporters)
	w.WaitIdle(t)

	st := h.call(t, "GET", "/v1/tournaments/"+tid+"/payouts", org, nil).requireStatus(t, http.StatusOK).Body
	require.Equal(t, "pending", st["status"])
	require.Equal(t, false, st["approved"])
	var prizes int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT count(*) FROM wallet_transfers WHERE kind = 'prize' AND reference = $1`, tid).Scan(&prizes))
	require.Zero(t, prizes, "nothing is paid before the review")
	h.call(t, "POST", "/v1/admin/tournaments/"+tid+"/payouts/approve", org, nil).requireProblem(t, http.StatusForbidden, "forbidden")

	held := h.call(t, "POST", "/v1/admin/tournaments/"+tid+"/payouts/hold", admin, map[string]any{"reason": "Checking a cheating report."}).
		requireStatus(t, http.StatusOK).Body
	require.Equal(t, "held", held["status"])
	require.Equal(t, "held", held["places"].([]any)[0].(map[string]any)["status"])
	require.Equal(t, "Checking a cheating report.", h.call(t, "GET", "/v1/tournaments/"+tid+"/payouts", org, nil).Body["hold_reason"])
	require.NotContains(t, h.call(t, "GET", "/v1/tournaments/"+tid+"/payouts", "", nil).Body, "hold_reason")
	w.WaitIdle(t)

	h.call(t, "POST", "/v1/admin/tournaments/"+tid+"/payouts/approve", admin, nil).requireStatus(t, http.StatusOK)
	h.paidStatement(t, w, tid, org)
	h.call(t, "POST", "/v1/admin/tournaments/"+tid+"/payouts/hold", admin, map[string]any{"reason": "Too late."}).
		requireProblem(t, http.StatusConflict, "conflict")
}

// TestDisqualifiedEntrantIsNotPaid: a side disqualified in the first round ranks last and is
// paid nothing; the places pay the others, and the escrow still ends at zero.
func TestDisqualifiedEntrantIsNotPaid(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	body := h.withoutCheckIn("Disqualified", "single_elimination", 4)
	body["prize_distribution"] = []int{50, 30, 20}
	tid, reporters := h.startedFrom(t, org, body, 4, false)
	first := h.readyMatches(t, tid)[0]
	h.call(t, "POST", "/v1/matches/"+first["id"].(string)+"/disqualify", org, map[string]any{"side": "b"}).requireStatus(t, http.StatusNoContent)
	cheat := sideName(first, "b")
	h.playToTheEnd(t, w, tid, reporters)
	st := h.paidStatement(t, w, tid, org)
	names := map[string]float64{}
	for _, p := range st["places"].([]any) {
		names[p.(map[string]any)["name"].(string)] = p.(map[string]any)["amount"].(float64)
	}
	require.NotContains(t, names, cheat)
	require.Len(t, names, 3, "the three who stand share the three places")
	require.Equal(t, int64(0), h.escrow(t, tid))
}

// TestCompletingEarlyPaysTheStandingsAsTheyStand: the organizer completes a round robin
// before its last matches; the standings become final, the open matches close, and the
// prizes are paid by them.
func TestCompletingEarlyPaysTheStandingsAsTheyStand(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "round_robin", 4, false)
	open := h.readyMatches(t, tid)
	require.Len(t, open, 6, "a round robin of four lays every match at once")
	h.reportBoth(t, open[0], reporters, map[string]any{"score_a": 2, "score_b": 0})
	_, player := h.fastUser(t, "early_player")
	h.call(t, "POST", "/v1/tournaments/"+tid+"/complete", player, nil).requireProblem(t, http.StatusForbidden, "forbidden")
	done := h.call(t, "POST", "/v1/tournaments/"+tid+"/complete", org, nil).requireStatus(t, http.StatusOK).Body
	require.Equal(t, "completed", done["status"])
	m := open[1]
	h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[sideName(m, "a")], map[string]any{"score_a": 2, "score_b": 0}).
		requireProblem(t, http.StatusConflict, "conflict")
	st := h.paidStatement(t, w, tid, org)
	require.NotEmpty(t, st["places"])
	require.Equal(t, int64(0), h.escrow(t, tid))
	h.call(t, "POST", "/v1/tournaments/"+tid+"/complete", org, nil).requireProblem(t, http.StatusConflict, "conflict")
}

// playToTheEnd plays every ready match, side a winning, until the tournament completes,
// letting the workers pair Swiss rounds in between.
func (h *harness) playToTheEnd(t *testing.T, w *dbtest.Workers, tid string, reporters map[string]string) {
	t.Helper()
	for round := 0; ; round++ {
		w.WaitIdle(t) // a Swiss round's pairing, also after a disqualification decided the last open match
		if h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"] == "completed" {
			return
		}
		require.Less(t, round, 40, "the tournament does not end")
		require.NotEmpty(t, h.playReady(t, tid, reporters), "running, but nothing to play")
	}
}

// paidStatement waits for the payout and returns the organizer's statement, checked: paid,
// every recipient's transfer a prize of its amount, and the recipients, the fee and the
// rounding adding up to the pool's sources.
func (h *harness) paidStatement(t *testing.T, w *dbtest.Workers, tid, org string) map[string]any {
	t.Helper()
	w.WaitIdle(t)
	st := h.call(t, "GET", "/v1/tournaments/"+tid+"/payouts", org, nil).requireStatus(t, http.StatusOK).Body
	require.Equal(t, "paid", st["status"], "%v", st)
	total := int64(st["platform_fee"].(float64) + st["rounding"].(float64))
	for _, p := range st["places"].([]any) {
		place := p.(map[string]any)
		require.Equal(t, "paid", place["status"])
		var sum int64
		for _, r := range place["recipients"].([]any) {
			rec := r.(map[string]any)
			var kind string
			var amount int64
			require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT kind, amount FROM wallet_transfers WHERE id = $1`,
				rec["transfer_id"]).Scan(&kind, &amount))
			require.Equal(t, wallet.Prize, kind)
			require.Equal(t, int64(rec["amount"].(float64)), amount)
			sum += amount
		}
		require.Equal(t, int64(place["amount"].(float64)), sum, "an entry's members share its prize")
		total += sum
	}
	require.Equal(t, int64(st["entry_fees"].(float64)+st["added_prize"].(float64)), total, "prizes + fee + rounding = fees + added prize")
	return st
}

// fund deposits amount (EUR minor units) into a user's wallet.
func (h *harness) fund(t testingT, userID uuid.UUID, amount int64) {
	t.Helper()
	_, err := h.app.Wallet.TransferMany(context.Background(), []wallet.Leg{{Debit: wallet.WorldAccount(), Credit: wallet.UserAccount(userID),
		Amount: amount, Currency: "EUR", Kind: wallet.Deposit, Reference: "fund", Key: uuid.NewString()}})
	require.NoError(t, err)
}

// walletBalance is a user's EUR balance.
func (h *harness) walletBalance(t testingT, userID uuid.UUID) int64 {
	t.Helper()
	return h.balanceOf(t, wallet.UserAccount(userID))
}

// escrow is a tournament's EUR escrow balance.
func (h *harness) escrow(t testingT, tid string) int64 {
	t.Helper()
	return h.balanceOf(t, wallet.EscrowAccount(uuid.MustParse(tid)))
}

func (h *harness) balanceOf(t testingT, a wallet.Account) int64 {
	t.Helper()
	var bal int64
	err := h.pool.QueryRow(context.Background(), `SELECT coalesce((SELECT balance FROM wallet_accounts
		WHERE kind = $1 AND owner_id = $2 AND currency = 'EUR'), 0)`, a.Kind, a.OwnerID).Scan(&bal)
	require.NoError(t, err)
	return bal
}
