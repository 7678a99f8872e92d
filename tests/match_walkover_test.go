package tests

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDoubleForfeitAndDisqualificationInDoubleElimination: in an 8-player double
// elimination, one first-round match is a double forfeit and one side of another is
// disqualified. Neither of the three plays again — the disqualified player does not drop to
// the losers' bracket — the matches they would have filled are walkovers, the tournament
// still completes, and the disqualified player ranks last.
func TestDoubleForfeitAndDisqualificationInDoubleElimination(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "double_elimination", 8, false)

	first := h.readyMatches(t, tid)
	require.Len(t, first, 4)
	forfeited, dq := first[0], first[1]
	out := map[string]bool{sideName(forfeited, "a"): true, sideName(forfeited, "b"): true, sideName(dq, "b"): true}

	h.call(t, "POST", "/v1/matches/"+forfeited["id"].(string)+"/forfeit", org, map[string]any{"side": "both"}).requireStatus(t, http.StatusNoContent)
	got := h.call(t, "GET", "/v1/matches/"+forfeited["id"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "double_forfeit", got.Body["status"])
	require.Nil(t, got.Body["winner_seed"])

	h.call(t, "POST", "/v1/matches/"+dq["id"].(string)+"/disqualify", reporters[sideName(dq, "a")], map[string]any{"side": "b"}).
		requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "POST", "/v1/matches/"+dq["id"].(string)+"/disqualify", org, map[string]any{"side": "c"}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call(t, "POST", "/v1/matches/"+dq["id"].(string)+"/disqualify", org, map[string]any{"side": "b"}).requireStatus(t, http.StatusNoContent)
	got = h.call(t, "GET", "/v1/matches/"+dq["id"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "disqualified", got.Body["status"])
	require.Equal(t, dq["a"].(map[string]any)["seed"], got.Body["winner_seed"])
	h.call(t, "POST", "/v1/matches/"+dq["id"].(string)+"/disqualify", org, map[string]any{"side": "a"}).
		requireProblem(t, http.StatusConflict, "conflict")

	var status string
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT r.status FROM registrations r JOIN users u ON u.id = r.registered_by
		WHERE r.tournament_id = $1 AND u.handle = $2`, tid, sideName(dq, "b")).Scan(&status))
	require.Equal(t, "disqualified", status, "the registration follows the bracket")
	var other string
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT r.id FROM registrations r JOIN users u ON u.id = r.registered_by
		WHERE r.tournament_id = $1 AND u.handle = $2`, tid, sideName(dq, "a")).Scan(&other))
	r := h.call(t, "POST", "/v1/registrations/"+other+"/disqualify", org, nil).requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "open match", "once the bracket runs, disqualification goes through the match")

	for range 20 {
		played := h.playReady(t, tid, reporters)
		if len(played) == 0 {
			break
		}
		for name := range played {
			require.False(t, out[name], "%s is out but plays again", name)
		}
	}
	require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])

	walkovers := 0
	for _, m := range h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).Body["matches"].([]any) {
		mm := m.(map[string]any)
		require.NotContains(t, []string{"pending", "ready"}, mm["status"], "match %v left open", mm["number"])
		if mm["status"] == "bye" {
			walkovers++
			_, hasA := mm["a"].(map[string]any)["seed"]
			_, hasB := mm["b"].(map[string]any)["seed"]
			require.True(t, hasA != hasB, "a walkover has exactly one side: %v", mm)
		}
	}
	require.Positive(t, walkovers, "the empty sides were walked over")

	st := h.standingsByName(t, tid)
	require.Len(t, st, 8)
	require.Equal(t, float64(8), st[sideName(dq, "b")]["rank"], "the disqualified player ranks last")
	a, b := st[sideName(forfeited, "a")]["rank"], st[sideName(forfeited, "b")]["rank"]
	require.Equal(t, a, b, "out in the same match")
	require.Greater(t, a, float64(4))
}

// TestDisqualificationInRoundRobinAndSwiss: a disqualified round-robin player loses every
// match left at once; in Swiss, a disqualified player is never paired again, while the two
// sides of a double forfeit take a loss each and keep playing.
func TestDisqualificationInRoundRobinAndSwiss(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)

	rr, reporters := h.startedTournament(t, org, "round_robin", 4, false)
	m := h.readyMatches(t, rr)[0]
	gone := sideName(m, "a")
	h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/disqualify", org, map[string]any{"side": "a"}).requireStatus(t, http.StatusNoContent)
	disqualified := 0
	for _, x := range h.call(t, "GET", "/v1/tournaments/"+rr+"/matches?status=disqualified", "", nil).Body["items"].([]any) {
		xm := x.(map[string]any)
		require.Contains(t, []string{sideName(xm, "a"), sideName(xm, "b")}, gone)
		disqualified++
	}
	require.Equal(t, 3, disqualified, "every match of the disqualified player is decided")
	for range 6 {
		if len(h.playReady(t, rr, reporters)) == 0 {
			break
		}
	}
	require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+rr, "", nil).Body["status"])
	st := h.standingsByName(t, rr)
	require.Equal(t, float64(4), st[gone]["rank"])
	require.Equal(t, float64(3), st[gone]["losses"])

	sw, reporters := h.startedTournament(t, org, "swiss", 8, false)
	round := h.readyMatches(t, sw)
	require.Len(t, round, 4)
	gone = sideName(round[0], "b")
	both := []string{sideName(round[1], "a"), sideName(round[1], "b")}
	h.call(t, "POST", "/v1/matches/"+round[0]["id"].(string)+"/disqualify", org, map[string]any{"side": "b"}).requireStatus(t, http.StatusNoContent)
	h.call(t, "POST", "/v1/matches/"+round[1]["id"].(string)+"/forfeit", org, map[string]any{"side": "both"}).requireStatus(t, http.StatusNoContent)
	playedAgain := map[string]bool{}
	for rounds := 1; h.call(t, "GET", "/v1/tournaments/"+sw, "", nil).Body["status"] != "completed"; rounds++ {
		require.LessOrEqual(t, rounds, 8, "the stage did not finish")
		played := h.playReady(t, sw, reporters)
		require.NotEmpty(t, played, "the stage runs but no round is open")
		require.False(t, played[gone], "the disqualified player was paired again")
		for name := range played {
			playedAgain[name] = true
		}
		w.WaitIdle(t) // the job that pairs the next round, or ends the stage
	}
	require.True(t, playedAgain[both[0]] && playedAgain[both[1]], "a double forfeit does not end a Swiss stage for its sides")
	st = h.standingsByName(t, sw)
	require.Equal(t, float64(8), st[gone]["rank"])
	for _, name := range both {
		require.GreaterOrEqual(t, st[name]["losses"], float64(1))
	}
}
