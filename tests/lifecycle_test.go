package tests

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
)

// TestStartLaysTheBracket: start used to move a tournament to running without a bracket,
// after which no bracket could be built. Now start lays it in the same transaction (with
// create-bracket's optional body), refuses without two entries and leaves the status alone
// then, and no tournament is ever running without a bracket.
func TestStartLaysTheBracket(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	entered := func(t *testing.T, n int) string {
		tid := h.openRegistration(t, org, h.withoutCheckIn(fmt.Sprintf("Start %d", h.next()), "single_elimination", 8))
		_, tokens := h.fastPlayers(t, fmt.Sprintf("st%d_", h.next()), n, 1000)
		h.join(t, tid, tokens...)
		h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
		return tid
	}
	requireNoBracketlessRun := func(t *testing.T) {
		var n int
		require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT count(*) FROM tournaments t
			WHERE t.status = 'running' AND NOT EXISTS (SELECT 1 FROM match_brackets b WHERE b.tournament_id = t.id)`).Scan(&n))
		require.Zero(t, n, "a tournament is running without a bracket")
	}

	t.Run("RefusesWithoutTwoEntries", func(t *testing.T) {
		tid := entered(t, 1)
		r := h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, nil).requireProblem(t, http.StatusConflict, "conflict")
		require.Contains(t, r.Body["detail"], "at least two entries")
		require.Equal(t, "registration_closed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"], "nothing changed")
		h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireProblem(t, http.StatusNotFound, "not_found")
		requireNoBracketlessRun(t)
	})
	t.Run("LaysTheDefaultBracket", func(t *testing.T) {
		tid := entered(t, 5)
		r := h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, "running", r.Body["status"])
		b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
		require.Len(t, b.Body["matches"], 4, "five entrants: four matches in single elimination")
		h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket", org, map[string]any{}).requireProblem(t, http.StatusConflict, "conflict")
		h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, nil).requireProblem(t, http.StatusConflict, "conflict")
		requireNoBracketlessRun(t)
	})
	t.Run("TakesTheBracketOptions", func(t *testing.T) {
		tid := entered(t, 4)
		_, player := h.player(t, fmt.Sprintf("nobody%d", h.next()))
		h.call(t, "POST", "/v1/tournaments/"+tid+"/start", player, nil).requireProblem(t, http.StatusForbidden, "forbidden")
		h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, map[string]any{"seeding": map[string]any{"method": "psychic"}}).
			requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, map[string]any{"third_place": true,
			"seeding": map[string]any{"method": "random", "random_seed": 7}}).requireStatus(t, http.StatusOK)
		b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
		matches := b.Body["matches"].([]any)
		require.Len(t, matches, 4, "two semifinals, the final and the match for third place")
		require.Equal(t, "third_place", matches[3].(map[string]any)["stage"])
		requireNoBracketlessRun(t)
	})
}

// TestCheckInOnTheOrganizersWord: check-in opens when the organizer says, ahead of its
// window or after it, and close-check-in ends it at once: the entries that did not check in
// are dropped and refunded by the job it enqueues, and the tournament starts straight away.
// The job scheduled for the window's old end runs later and changes nothing.
func TestCheckInOnTheOrganizersWord(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	tid := h.paidSolo(t, org, 8)
	_, tokens := h.fastPlayers(t, "ci_", 3, 1000)
	regs := h.join(t, tid, tokens...)
	h.clock.Advance(10 * time.Minute)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/open-check-in", org, nil).requireProblem(t, http.StatusConflict, "conflict")
	r := h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	closed := h.clock.Now().Format(time.RFC3339)
	require.Equal(t, closed, r.Body["registration_closes_at"], "closed early: the window is recorded as it ran")

	h.clock.Advance(time.Minute) // still well before the check-in window (+2h)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/open-check-in", tokens[0], nil).requireProblem(t, http.StatusForbidden, "forbidden")
	r = h.call(t, "POST", "/v1/tournaments/"+tid+"/open-check-in", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "check_in", r.Body["status"])
	require.Equal(t, h.clock.Now().Format(time.RFC3339), r.Body["check_in_opens_at"], "opened ahead of its window: it opens now")
	scheduledEnd := r.Body["check_in_closes_at"]
	for _, reg := range regs[:2] {
		h.call(t, "POST", "/v1/registrations/"+reg+"/check-in", org, nil).requireStatus(t, http.StatusOK)
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, nil).requireProblem(t, http.StatusConflict, "conflict")

	h.clock.Advance(time.Minute)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-check-in", tokens[0], nil).requireProblem(t, http.StatusForbidden, "forbidden")
	r = h.call(t, "POST", "/v1/tournaments/"+tid+"/close-check-in", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, h.clock.Now().Format(time.RFC3339), r.Body["check_in_closes_at"])
	require.NotEqual(t, scheduledEnd, r.Body["check_in_closes_at"])
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-check-in", org, nil).requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "POST", "/v1/registrations/"+regs[2]+"/check-in", tokens[2], nil).requireProblem(t, http.StatusConflict, "conflict")
	w.WaitIdle(t) // the drop job enqueued by close-check-in, and the refunds it enqueues

	regStatus := func(reg string) string {
		var s string
		require.NoError(t, h.pool.QueryRow(context.Background(), "SELECT status FROM registrations WHERE id = $1", reg).Scan(&s))
		return s
	}
	require.Equal(t, "dropped", regStatus(regs[2]))
	wallet := h.call(t, "GET", "/v1/wallet", tokens[2], nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(1000), wallet.Body["balances"].([]any)[0].(map[string]any)["available"], "refunded")
	h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, nil).requireStatus(t, http.StatusOK)

	// The job scheduled when check-in opened, for the window's old end, finds nothing to do.
	old, err := w.Client.JobList(context.Background(), river.NewJobListParams().Kinds("tournament.check_in_closed").
		States(rivertype.JobStateScheduled))
	require.NoError(t, err)
	require.Len(t, old.Jobs, 1)
	w.RunNow(t, old.Jobs...)
	w.WaitIdle(t)
	for i, want := range []string{"checked_in", "checked_in", "dropped"} {
		require.Equal(t, want, regStatus(regs[i]))
	}
	wallet = h.call(t, "GET", "/v1/wallet", tokens[2], nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(1000), wallet.Body["balances"].([]any)[0].(map[string]any)["available"], "refunded once")
}

// TestCheckInAfterItsWindow: once the scheduled window has passed (or when there is none),
// open-check-in needs the new end, which must lie after now and by starts_at.
func TestCheckInAfterItsWindow(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid := h.driveTo(t, org, "cs2", "registration_closed")
	h.clock.Advance(3*time.Hour + 10*time.Minute) // past the window (+2h to +3h), before the start (+4h)
	r := h.call(t, "POST", "/v1/tournaments/"+tid+"/open-check-in", org, nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.Body["detail"], "closes_at")
	at := func(d time.Duration) string { return h.clock.Now().Add(d).Format(time.RFC3339) }
	h.call(t, "POST", "/v1/tournaments/"+tid+"/open-check-in", org, map[string]any{"closes_at": at(-time.Minute)}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	r = h.call(t, "POST", "/v1/tournaments/"+tid+"/open-check-in", org, map[string]any{"closes_at": at(time.Hour)}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.Body["detail"], "starts_at")
	r = h.call(t, "POST", "/v1/tournaments/"+tid+"/open-check-in", org, map[string]any{"closes_at": at(20 * time.Minute)}).
		requireStatus(t, http.StatusOK)
	require.Equal(t, at(0), r.Body["check_in_opens_at"])
	require.Equal(t, at(20*time.Minute), r.Body["check_in_closes_at"])
}
