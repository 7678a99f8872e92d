package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/modules/match"
)

// chessGame adds a game whose series may be a best of 1 or 2.
func (h *harness) chessGame(t testingT, admin string) {
	t.Helper()
	h.call(t, "POST", "/v1/games", admin, map[string]any{"slug": "chess", "name": "Chess", "team_size_min": 1, "team_size_max": 1,
		"config_schema": map[string]any{"type": "object", "required": []string{"best_of"},
			"properties": map[string]any{"best_of": map[string]any{"enum": []int{1, 2}}}}}).requireStatus(t, http.StatusCreated)
}

// TestDrawsAndThePointsTable: draws are a setting of round robin and Swiss only; with them a
// series may end level (1-1 in a best of 2, or 0-0) and an even best_of is allowed, and the
// standings score by the tournament's points table.
func TestDrawsAndThePointsTable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	h.chessGame(t, admin)

	body := h.withoutCheckIn("Draws In Elimination", "single_elimination", 4)
	body["allow_draws"] = true
	r := h.call(t, "POST", "/v1/tournaments", org, body).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.Body["detail"], "allow_draws")
	delete(body, "allow_draws")
	body["points"] = map[string]any{"win": 2, "draw": 1, "loss": 0}
	h.call(t, "POST", "/v1/tournaments", org, body).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	body = h.withoutCheckIn("Bad Points", "round_robin", 4)
	body["points"] = map[string]any{"win": 1, "draw": 2, "loss": 0}
	h.call(t, "POST", "/v1/tournaments", org, body).requireProblem(t, http.StatusUnprocessableEntity, "invalid")

	t.Run("EvenBestOfNeedsDraws", func(t *testing.T) {
		body := h.withoutCheckIn("Even Without Draws", "round_robin", 4)
		body["game"], body["game_settings"] = "chess", map[string]any{"best_of": 2}
		tid := h.openRegistration(t, org, body)
		_, tokens := h.fastPlayers(t, fmt.Sprintf("ev%d_", h.next()), 2, 1000)
		h.join(t, tid, tokens...)
		h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
		r := h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		require.Contains(t, r.Body["detail"], "allow_draws")
		require.Equal(t, "registration_closed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])
	})

	body = h.withoutCheckIn("Chess League", "round_robin", 4)
	body["game"], body["game_settings"] = "chess", map[string]any{"best_of": 2}
	body["allow_draws"], body["points"] = true, map[string]any{"win": 2, "draw": 1, "loss": 0}
	tid, reporters := h.startedFrom(t, org, body, 4, false)
	b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(2), b.Body["best_of"])
	require.Equal(t, true, b.Body["allow_draws"])
	both := func(t *testing.T, m map[string]any, result map[string]any) {
		t.Helper()
		for _, side := range []string{"a", "b"} {
			h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[sideName(m, side)], result).requireStatus(t, http.StatusOK)
		}
	}
	ready := h.readyMatches(t, tid)
	require.Len(t, ready, 6, "four players: six matches, all ready")
	h.call(t, "POST", "/v1/matches/"+ready[0]["id"].(string)+"/reports", reporters[sideName(ready[0], "a")],
		map[string]any{"score_a": 2, "score_b": 1}).requireProblem(t, http.StatusUnprocessableEntity, "invalid") // three games in a best of 2
	both(t, ready[0], map[string]any{"score_a": 1, "score_b": 1, "games": []map[string]any{{"score_a": 1, "score_b": 0}, {"score_a": 0, "score_b": 1}}})
	both(t, ready[1], map[string]any{"score_a": 0, "score_b": 0})
	for _, m := range ready[2:] {
		both(t, m, map[string]any{"score_a": 2, "score_b": 0})
	}
	got := h.call(t, "GET", "/v1/matches/"+ready[0]["id"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "confirmed", got.Body["status"])
	require.NotContains(t, got.Body, "winner_seed", "a draw has no winner")
	require.Len(t, got.Body["games"], 2)
	require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])

	// Recompute the points from the matches: 2 a win, 1 a draw.
	want := map[string]float64{}
	for _, m := range h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).Body["matches"].([]any) {
		mm := m.(map[string]any)
		a, bb := sideName(mm, "a"), sideName(mm, "b")
		switch {
		case mm["winner_seed"] == nil:
			want[a]++
			want[bb]++
		case mm["winner_seed"] == mm["a"].(map[string]any)["seed"]:
			want[a] += 2
		default:
			want[bb] += 2
		}
	}
	draws := 0.0
	for name, st := range h.standingsByName(t, tid) {
		require.Equal(t, want[name], st["points"], name)
		require.Equal(t, float64(0), st["group"], "one league: group 0")
		if d, ok := st["draws"].(float64); ok {
			draws += d
		}
	}
	require.Equal(t, float64(4), draws, "two drawn matches, two sides each")
	var stored int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT sum(draws) FROM match_final_standings WHERE tournament_id = $1`, tid).Scan(&stored))
	require.Equal(t, 4, stored, "final standings keep the draws")
	ex := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket/export", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, ex.Body["match_game"], 2, "the one match reported with its games")
	require.Equal(t, "draw", ex.Body["match"].([]any)[1].(map[string]any)["opponent1"].(map[string]any)["result"])
}

// TestRoundRobinGroupStandings: with groups, each row says its group and ranks within it.
func TestRoundRobinGroupStandings(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	body := h.withoutCheckIn("Two Groups", "round_robin", 6)
	tid := h.openRegistration(t, org, body)
	_, tokens := h.fastPlayers(t, "gr_", 6, 1000)
	reporters := map[string]string{}
	h.join(t, tid, tokens...)
	for i, tok := range tokens {
		reporters[fmt.Sprintf("gr_%d", i)] = tok
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/start", org, map[string]any{"groups": 2}).requireStatus(t, http.StatusOK)
	for _, m := range h.readyMatches(t, tid) { // the better seed wins: no ties within a group
		score := map[string]any{"score_a": 2, "score_b": 0}
		if m["a"].(map[string]any)["seed"].(float64) > m["b"].(map[string]any)["seed"].(float64) {
			score = map[string]any{"score_a": 0, "score_b": 2}
		}
		for _, side := range []string{"a", "b"} {
			h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[sideName(m, side)], score).requireStatus(t, http.StatusOK)
		}
	}
	require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])
	st := h.call(t, "GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, st, 6)
	var ranks [2][]float64
	for _, row := range st {
		r := row.(map[string]any)
		g := int(r["group"].(float64))
		ranks[g] = append(ranks[g], r["rank"].(float64))
	}
	require.Equal(t, [2][]float64{{1, 2, 3}, {1, 2, 3}}, ranks, "three per group, ranked within it, group 0 first")
	for _, row := range st {
		r := row.(map[string]any)
		require.Equal(t, 3-r["rank"].(float64), r["wins"], "the better seed won every match of its group")
	}
}

// TestReportHistoryAndDisputes: a side may change its report until the other side reports;
// every report is kept with its games, reason and evidence, for the organizer and staff
// alone; disagreeing reports open a dispute, and the resolution's games are the match's.
func TestReportHistoryAndDisputes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	staffID, staff := h.player(t, "sam")
	h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/"+staffID, org, nil).requireStatus(t, http.StatusCreated)
	ready := h.readyMatches(t, tid)
	m, other := ready[0], ready[1]
	id := m["id"].(string)
	a, b := reporters[sideName(m, "a")], reporters[sideName(m, "b")]
	report := func(token string, body map[string]any) response {
		return h.call(t, "POST", "/v1/matches/"+id+"/reports", token, body)
	}

	games := []map[string]any{{"score_a": 13, "score_b": 7, "map": "dust2"}, {"score_a": 13, "score_b": 11, "map": "mirage"}}
	report(a, map[string]any{"score_a": 2, "score_b": 1, "games": games}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	report(a, map[string]any{"score_a": 2, "score_b": 0, "games": append(games, map[string]any{"score_a": 1, "score_b": 13})}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid") // a game after the series was decided
	report(a, map[string]any{"score_a": 2, "score_b": 0, "games": []map[string]any{{"score_a": 5, "score_b": 5}, games[0], games[1]}}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid") // a level game without draws
	report(a, map[string]any{"score_a": 2, "score_b": 0, "evidence": []string{"javascript:alert(1)"}}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	six := []string{"https://e.org/1", "https://e.org/2", "https://e.org/3", "https://e.org/4", "https://e.org/5", "https://e.org/6"}
	report(a, map[string]any{"score_a": 2, "score_b": 0, "evidence": six}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")

	require.Equal(t, "reported", report(a, map[string]any{"score_a": 0, "score_b": 2}).requireStatus(t, http.StatusOK).Body["status"])
	require.Equal(t, "reported", report(a, map[string]any{"score_a": 2, "score_b": 0, "games": games}).
		requireStatus(t, http.StatusOK).Body["status"], "a side changes its report before the other side reports")
	r := report(b, map[string]any{"score_a": 0, "score_b": 2, "reason": "They used a banned map.", "evidence": six[:2]}).requireStatus(t, http.StatusOK)
	require.Equal(t, "disputed", r.Body["status"])
	report(a, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusConflict, "conflict")

	path := "/v1/matches/" + id + "/reports"
	h.call(t, "GET", path, a, nil).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "GET", path, "", nil).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	history := h.call(t, "GET", path, staff, nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, history, 3, "the changed report is kept")
	first, changed, disputing := history[0].(map[string]any), history[1].(map[string]any), history[2].(map[string]any)
	require.Equal(t, []any{"a", "a", "b"}, []any{first["side"], changed["side"], disputing["side"]})
	require.Equal(t, float64(0), first["score_a"])
	require.Len(t, changed["games"], 2)
	require.Equal(t, "mirage", changed["games"].([]any)[1].(map[string]any)["map"])
	require.Equal(t, "They used a banned map.", disputing["reason"])
	require.Equal(t, []any{six[0], six[1]}, disputing["evidence"])
	require.Equal(t, sideName(m, "b"), disputing["reported_by"].(map[string]any)["handle"])
	page := h.call(t, "GET", path+"?limit=2", org, nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 2)
	rest := h.call(t, "GET", path+"?limit=2&cursor="+page.Body["next_cursor"].(string), org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, disputing["id"], rest.Body["items"].([]any)[0].(map[string]any)["id"])

	h.call(t, "POST", "/v1/matches/"+id+"/resolve", staff, map[string]any{"score_a": 2, "score_b": 0, "games": games}).
		requireStatus(t, http.StatusNoContent)
	got := h.call(t, "GET", "/v1/matches/"+id, "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "resolved", got.Body["status"])
	require.Len(t, got.Body["games"], 2)

	// The other semifinal: a report, changed; the first report's auto-confirmation leaves the
	// match to the second's, which confirms the changed result.
	oid := other["id"].(string)
	oa := reporters[sideName(other, "a")]
	h.call(t, "POST", "/v1/matches/"+oid+"/reports", oa, map[string]any{"score_a": 2, "score_b": 1}).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/matches/"+oid+"/reports", oa, map[string]any{"score_a": 0, "score_b": 2}).requireStatus(t, http.StatusOK)
	scheduled := &rivertest.RequireInsertedOpts{State: rivertype.JobStateScheduled}
	jobs := rivertest.RequireManyInserted(context.Background(), t, riverpgxv5.New(h.pool), []rivertest.ExpectedJob{
		{Args: match.AutoConfirmArgs{}, Opts: scheduled}, {Args: match.AutoConfirmArgs{}, Opts: scheduled}, // the first semifinal's two
		{Args: match.AutoConfirmArgs{}, Opts: scheduled}, {Args: match.AutoConfirmArgs{}, Opts: scheduled}, // and the other's
	})
	var forOther []*rivertype.JobRow
	for _, j := range jobs {
		if strings.Contains(string(j.EncodedArgs), oid) {
			forOther = append(forOther, j)
		}
	}
	require.Len(t, forOther, 2)
	w.RunNow(t, forOther[0])
	w.WaitIdle(t)
	require.Equal(t, "reported", h.call(t, "GET", "/v1/matches/"+oid, "", nil).Body["status"], "scheduled for the report since changed")
	w.RunNow(t, forOther[1])
	w.WaitIdle(t)
	got = h.call(t, "GET", "/v1/matches/"+oid, "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "confirmed", got.Body["status"])
	require.Equal(t, float64(2), got.Body["score_b"], "the changed report stands")
	var args match.AutoConfirmArgs
	require.NoError(t, json.Unmarshal(forOther[1].EncodedArgs, &args))
	require.Equal(t, oid, args.MatchID.String())
}
