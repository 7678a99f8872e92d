package tests

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestReseedBeforeTheFirstResult: before any result the organizer swaps two entrants (each
// takes the other's matches) or throws the bracket away, which takes the tournament back to
// the status it started from, to be started again; a Swiss round's bye counts as no result.
// Once a side has reported, both are refused.
func TestReseedBeforeTheFirstResult(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)

	t.Run("Swap", func(t *testing.T) {
		tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
		before := h.readyMatches(t, tid)
		seedOf := func(m map[string]any, side string) float64 { return m[side].(map[string]any)["seed"].(float64) }
		x, y := seedOf(before[0], "a"), seedOf(before[1], "a")
		h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket/swap", reporters[sideName(before[0], "a")],
			map[string]any{"seeds": []float64{x, y}}).requireProblem(t, http.StatusForbidden, "forbidden")
		h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket/swap", org, map[string]any{"seeds": []float64{x, x}}).
			requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket/swap", org, map[string]any{"seeds": []float64{x, 99}}).
			requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		b := h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket/swap", org, map[string]any{"seeds": []float64{x, y}}).
			requireStatus(t, http.StatusOK)
		after := b.Body["matches"].([]any)
		require.Equal(t, sideName(before[1], "a"), sideName(after[0].(map[string]any), "a"), "the entrants changed places")
		require.Equal(t, sideName(before[0], "a"), sideName(after[1].(map[string]any), "a"))
		// The swapped entrant now reports for its new match.
		moved := after[0].(map[string]any)
		h.call(t, "POST", "/v1/matches/"+moved["id"].(string)+"/reports", reporters[sideName(before[1], "a")],
			map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusOK)
		r := h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket/swap", org, map[string]any{"seeds": []float64{x, y}}).
			requireProblem(t, http.StatusConflict, "conflict")
		require.Contains(t, r.Body["detail"], "reported")
		h.call(t, "DELETE", "/v1/tournaments/"+tid+"/bracket", org, nil).requireProblem(t, http.StatusConflict, "conflict")
	})
	t.Run("ThrowAwayAndStartAgain", func(t *testing.T) {
		tid := h.driveTo(t, org, "cs2", "running") // through check-in: it goes back to check_in
		require.Equal(t, "registration", h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).Body["seeding"])
		h.call(t, "POST", "/v1/tournaments/"+tid+"/schedule", org, map[string]any{"rounds": []map[string]any{
			{"round": 1, "starts_at": h.clock.Now().Add(time.Hour)}}}).requireStatus(t, http.StatusOK)
		h.call(t, "DELETE", "/v1/tournaments/"+tid+"/bracket", org, nil).requireStatus(t, http.StatusNoContent)
		require.Equal(t, "check_in", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])
		h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireProblem(t, http.StatusNotFound, "not_found")
		h.call(t, "DELETE", "/v1/tournaments/"+tid+"/bracket", org, nil).requireProblem(t, http.StatusNotFound, "not_found")
		h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, map[string]any{"seeding": map[string]any{"method": "random"}}).
			requireStatus(t, http.StatusOK)
		b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
		require.Equal(t, "random", b.Body["seeding"])
		require.NotEmpty(t, b.Body["matches"].([]any)[0].(map[string]any)["scheduled_at"], "the planned round time outlives the re-seed")
	})
	t.Run("SwissByeIsNoResult", func(t *testing.T) {
		tid, _ := h.startedTournament(t, org, "swiss", 5, false)
		h.call(t, "DELETE", "/v1/tournaments/"+tid+"/bracket", org, nil).requireStatus(t, http.StatusNoContent)
		require.Equal(t, "registration_closed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])
	})
}
