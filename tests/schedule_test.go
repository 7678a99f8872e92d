package tests

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSchedulingMatchesAndRounds: a match's time is set and cleared one by one; a round's in
// one call, for every undecided match of it, and a Swiss round paired later takes its
// planned time when it is paired. Decided matches are not rescheduled.
func TestSchedulingMatchesAndRounds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "swiss", 4, false)
	at := func(d time.Duration) string { return h.clock.Now().Add(d).UTC().Format(time.RFC3339) }

	round1 := h.readyMatches(t, tid)
	require.Len(t, round1, 2)
	id := round1[0]["id"].(string)
	r := h.call(t, "PATCH", "/v1/matches/"+id, org, map[string]any{"scheduled_at": at(time.Hour)}).requireStatus(t, http.StatusOK)
	require.Equal(t, at(time.Hour), r.Body["scheduled_at"])
	require.Equal(t, at(time.Hour), h.call(t, "GET", "/v1/matches/"+id, "", nil).Body["scheduled_at"])
	r = h.call(t, "PATCH", "/v1/matches/"+id, org, map[string]any{"scheduled_at": nil}).requireStatus(t, http.StatusOK)
	require.NotContains(t, r.Body, "scheduled_at", "cleared")
	h.call(t, "PATCH", "/v1/matches/"+id, org, map[string]any{}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")

	r = h.call(t, "POST", "/v1/tournaments/"+tid+"/schedule", org, map[string]any{"rounds": []map[string]any{
		{"round": 1, "starts_at": at(time.Hour)}, {"round": 2, "starts_at": at(3 * time.Hour)}}}).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(2), r.Body["scheduled"], "round 1's two matches; round 2 is not paired yet")
	require.Len(t, r.Body["rounds"], 2)
	for _, m := range h.readyMatches(t, tid) {
		require.Equal(t, at(time.Hour), m["scheduled_at"])
	}
	for _, bad := range []map[string]any{
		{"stage": "losers", "round": 1, "starts_at": at(0)},
		{"round": 1, "starts_at": at(0), "extra": true},
	} {
		h.call(t, "POST", "/v1/tournaments/"+tid+"/schedule", org, map[string]any{"rounds": []any{bad}}).
			requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/schedule", org, map[string]any{"rounds": []map[string]any{
		{"round": 1, "starts_at": at(0)}, {"round": 1, "starts_at": at(time.Hour)}}}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")

	h.playReady(t, tid, reporters)
	w.WaitIdle(t) // round 2 is paired
	decided := h.call(t, "GET", "/v1/matches/"+id, "", nil).Body
	round2 := h.readyMatches(t, tid)
	require.Len(t, round2, 2)
	for _, m := range round2 {
		require.Equal(t, at(3*time.Hour), m["scheduled_at"], "paired after its round was planned: it takes the plan")
	}
	r = h.call(t, "POST", "/v1/tournaments/"+tid+"/schedule", org, map[string]any{"rounds": []map[string]any{
		{"stage": "swiss", "round": 1, "starts_at": at(5 * time.Hour)}}}).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(0), r.Body["scheduled"], "round 1 is decided")
	require.Equal(t, decided["scheduled_at"], h.call(t, "GET", "/v1/matches/"+id, "", nil).Body["scheduled_at"])
	h.call(t, "PATCH", "/v1/matches/"+id, org, map[string]any{"scheduled_at": at(0)}).requireProblem(t, http.StatusConflict, "conflict")
}
