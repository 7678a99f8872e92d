package tests

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestHealthCountsDisputesAndOverdueMatches: open_disputes and overdue_matches used to be
// always 0. They are true at every moment: disputes are counted as they open, are resolved
// and as a result is overridden, and a scheduled match falls overdue once undecided past
// its time by the report window — listed by ?overdue=true — and stops being so once decided.
func TestHealthCountsDisputesAndOverdueMatches(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	health := func(t *testing.T) (disputes, overdue float64) {
		t.Helper()
		r := h.call(t, "GET", "/v1/tournaments/"+tid+"/health", org, nil).requireStatus(t, http.StatusOK)
		return r.Body["open_disputes"].(float64), r.Body["overdue_matches"].(float64)
	}
	dispute := func(t *testing.T, m map[string]any) {
		t.Helper()
		id := m["id"].(string)
		h.call(t, "POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "a")], map[string]any{"score_a": 2, "score_b": 0}).
			requireStatus(t, http.StatusOK)
		r := h.call(t, "POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "b")], map[string]any{"score_a": 0, "score_b": 2}).
			requireStatus(t, http.StatusOK)
		require.Equal(t, "disputed", r.Body["status"])
	}
	semis := h.readyMatches(t, tid)
	require.Len(t, semis, 2)
	d, o := health(t)
	require.Equal(t, [2]float64{0, 0}, [2]float64{d, o})

	dispute(t, semis[0])
	d, _ = health(t)
	require.Equal(t, float64(1), d)
	dispute(t, semis[1])
	d, _ = health(t)
	require.Equal(t, float64(2), d)
	h.call(t, "POST", "/v1/matches/"+semis[0]["id"].(string)+"/resolve", org, map[string]any{"score_a": 2, "score_b": 1}).
		requireStatus(t, http.StatusNoContent)
	d, _ = health(t)
	require.Equal(t, float64(1), d, "a resolved dispute is closed")
	h.call(t, "POST", "/v1/matches/"+semis[0]["id"].(string)+"/override", org, map[string]any{"score_a": 1, "score_b": 2}).
		requireStatus(t, http.StatusNoContent)
	d, _ = health(t)
	require.Equal(t, float64(1), d, "an override opens no dispute and closes none")

	// Scheduling: the final (waiting for a semifinal) and the open semifinal at the same time.
	final := h.call(t, "GET", "/v1/tournaments/"+tid+"/matches?status=pending", "", nil).Body["items"].([]any)[0].(map[string]any)
	at := h.clock.Now().Add(time.Hour)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/schedule", org, map[string]any{"rounds": []map[string]any{
		{"round": 1, "starts_at": at}, {"round": 2, "starts_at": at}}}).requireStatus(t, http.StatusOK)
	overdueList := func(t *testing.T) []any {
		t.Helper()
		return h.call(t, "GET", "/v1/tournaments/"+tid+"/matches?overdue=true", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	}
	h.clock.Advance(time.Hour + 30*time.Minute) // the default report window: 30 minutes, not yet past
	_, o = health(t)
	require.Equal(t, float64(0), o)
	require.Empty(t, overdueList(t))
	h.clock.Advance(time.Minute)
	_, o = health(t)
	require.Equal(t, float64(2), o, "the undecided semifinal and the final")
	require.Len(t, overdueList(t), 2)

	h.call(t, "POST", "/v1/matches/"+semis[1]["id"].(string)+"/resolve", org, map[string]any{"score_a": 2, "score_b": 0}).
		requireStatus(t, http.StatusNoContent)
	d, o = health(t)
	require.Equal(t, [2]float64{0, 1}, [2]float64{d, o}, "the semifinal is decided; the final still waits")
	require.Equal(t, final["id"], overdueList(t)[0].(map[string]any)["id"])

	// A longer report window: the final is not overdue after all.
	h.call(t, "PATCH", "/v1/tournaments/"+tid, org, map[string]any{"report_window": 120}).requireStatus(t, http.StatusOK)
	_, o = health(t)
	require.Equal(t, float64(0), o)
	n := h.countQueries(func() { health(t) })
	require.Equal(t, int64(2), n, "authenticate + health")
}
