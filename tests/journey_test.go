package tests

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db/dbtest"
)

// TestJourneyToTheEnd runs every format at 8 and 6 entrants the way an organizer would:
// registration and check-in closed early (the extra entrant who did not check in is dropped
// and refunded), a staff member, start instead of building the bracket, a re-seed, every
// round scheduled, a draw in round robin and Swiss, a dispute a staff member resolves, and
// every match played to the end. Afterwards the organizer's stats equal the ledger.
func TestJourneyToTheEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	admin := h.staff(t, "root", "admin")
	h.game(t, admin, "cs2")
	orgID, org := h.fastUser(t, "journey_org", "organizer")
	staffID, staff := h.fastUser(t, "journey_staff")
	entrants, played := 0, 0 // by the subtests that ran (each also runs alone)
	for _, format := range []string{"single_elimination", "double_elimination", "round_robin", "swiss"} {
		for _, n := range []int{8, 6} {
			t.Run(fmt.Sprintf("%s/%d", format, n), func(t *testing.T) {
				tid, reporters := h.journeyStart(t, w, org, staffID.String(), format, n)
				h.playOut(t, w, tid, reporters, staff, format == "round_robin" || format == "swiss")
				st := h.call(t, "GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
				require.Len(t, st, n)
				require.Equal(t, float64(1), st[0].(map[string]any)["rank"])
				entrants, played = entrants+n, played+1
			})
		}
	}

	stats := h.call(t, "GET", "/v1/organizer/stats", org, nil).requireStatus(t, http.StatusOK).Body
	var ledger int64
	require.NoError(t, h.pool.QueryRow(context.Background(), `
		SELECT coalesce(sum(CASE WHEN tr.credit_account_id = a.id THEN tr.amount ELSE -tr.amount END), 0)::bigint
		FROM wallet_accounts a JOIN wallet_transfers tr ON a.id IN (tr.credit_account_id, tr.debit_account_id)
		JOIN tournaments t ON t.id = a.owner_id
		WHERE a.kind = 'escrow' AND t.organizer_id = $1 AND tr.kind IN ('entry_fee', 'refund')`, orgID).Scan(&ledger))
	require.Equal(t, []any{map[string]any{"amount": float64(ledger), "currency": "EUR"}}, stats["fees_collected"], "stats equal the ledger")
	require.Equal(t, int64(entrants*500), ledger, "every entrant who played paid; the dropped were refunded")
	require.Equal(t, float64(entrants), stats["registrations"])
	require.Equal(t, map[string]any{"completed": float64(played)}, stats["tournaments_by_status"])
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"])
}

// journeyStart takes a tournament of format from creation to a started, re-seeded and
// scheduled bracket of n entrants, through an early close of registration and check-in.
func (h *harness) journeyStart(t *testing.T, w *dbtest.Workers, org, staffID, format string, n int) (string, map[string]string) {
	t.Helper()
	body := h.tournamentBody("cs2", fmt.Sprintf("Journey %s %d", format, n))
	body["format"], body["capacity"] = format, n+1
	if format == "round_robin" || format == "swiss" {
		body["allow_draws"] = true
	}
	tid := h.openRegistration(t, org, body)
	h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/"+staffID, org, nil).requireStatus(t, http.StatusCreated)
	prefix := fmt.Sprintf("j%d_", h.next())
	_, tokens := h.fastPlayers(t, prefix, n+1, 1000)
	regs, reporters := h.join(t, tid, tokens...), map[string]string{}
	for i, tok := range tokens {
		reporters[fmt.Sprintf("%s%d", prefix, i)] = tok
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/open-check-in", org, nil).requireStatus(t, http.StatusOK)
	for i, reg := range regs[:n] {
		who := tokens[i]
		if i%2 == 1 {
			who = org // the organizer checks some in
		}
		h.call(t, "POST", "/v1/registrations/"+reg+"/check-in", who, nil).requireStatus(t, http.StatusOK)
	}
	h.clock.Advance(time.Minute)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-check-in", org, nil).requireStatus(t, http.StatusOK)
	w.WaitIdle(t) // the last entrant is dropped and refunded
	h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, nil).requireStatus(t, http.StatusOK)
	// A re-seed: the top two seeds swap; one tournament throws its bracket away and starts again.
	h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket/swap", org, map[string]any{"seeds": []int{0, 1}}).requireStatus(t, http.StatusOK)
	if n == 8 && format == "single_elimination" {
		h.call(t, "DELETE", "/v1/tournaments/"+tid+"/bracket", org, nil).requireStatus(t, http.StatusNoContent)
		h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, map[string]any{"seeding": map[string]any{"method": "random"}}).
			requireStatus(t, http.StatusOK)
	}
	// Every round of every stage an hour apart; Swiss rounds ahead of their pairing.
	rounds := map[string]float64{}
	for _, m := range h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).Body["matches"].([]any) {
		mm := m.(map[string]any)
		rounds[mm["stage"].(string)] = max(rounds[mm["stage"].(string)], mm["round"].(float64))
	}
	if format == "swiss" {
		rounds["swiss"] = 5
	}
	var plan []map[string]any
	for stage, last := range rounds {
		for r := 1; r <= int(last); r++ {
			plan = append(plan, map[string]any{"stage": stage, "round": r, "starts_at": h.clock.Now().Add(time.Duration(r) * time.Hour)})
		}
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/schedule", org, map[string]any{"rounds": plan}).requireStatus(t, http.StatusOK)
	return tid, reporters
}

// playOut plays every match to the end, both sides reporting: with draws, the first match
// ends level; the second match is disputed and a staff member resolves
// it; Swiss rounds are paired by the job between rounds.
func (h *harness) playOut(t *testing.T, w *dbtest.Workers, tid string, reporters map[string]string, staff string, draws bool) {
	t.Helper()
	played, disputed := 0, false
	for round := 0; h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"] != "completed"; round++ {
		require.Less(t, round, 40, "the tournament does not end")
		ready := h.readyMatches(t, tid)
		require.NotEmpty(t, ready, "running, but nothing to play")
		for _, m := range ready {
			id, a, b := m["id"].(string), reporters[sideName(m, "a")], reporters[sideName(m, "b")]
			require.NotEmpty(t, m["scheduled_at"], "every round is scheduled")
			score := map[string]any{"score_a": 2, "score_b": played % 2}
			if played%3 == 1 {
				score = map[string]any{"score_a": 1, "score_b": 2}
			}
			switch {
			case draws && played == 0:
				score = map[string]any{"score_a": 1, "score_b": 1}
			case played == 1 && !disputed:
				disputed = true
				h.call(t, "POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusOK)
				h.call(t, "POST", "/v1/matches/"+id+"/reports", b, map[string]any{"score_a": 0, "score_b": 2, "reason": "Wrong score."}).
					requireStatus(t, http.StatusOK)
				h.call(t, "POST", "/v1/matches/"+id+"/resolve", staff, map[string]any{"score_a": 2, "score_b": 1}).requireStatus(t, http.StatusNoContent)
				played++
				continue
			}
			h.call(t, "POST", "/v1/matches/"+id+"/reports", a, score).requireStatus(t, http.StatusOK)
			r := h.call(t, "POST", "/v1/matches/"+id+"/reports", b, score).requireStatus(t, http.StatusOK)
			require.Equal(t, "confirmed", r.Body["status"])
			played++
		}
		w.WaitIdle(t) // a Swiss round's pairing, once the round is decided
	}
	require.True(t, disputed, "a staff member resolved a dispute")
}
