package tests

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/modules/match"
)

// TestDoubleEliminationPlaysToTheEnd: 16 paid teams register, the bracket is built, both
// captains report every match, and the tournament completes after 30 or 31 matches.
func TestDoubleEliminationPlaysToTheEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "double_elimination", 16, true)
	require.Equal(t, "running", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])

	played := 0
	for round := 0; round < 100; round++ {
		ready := h.readyMatches(t, tid)
		if len(ready) == 0 {
			break
		}
		for i, m := range ready {
			score := map[string]any{"score_a": 2, "score_b": 1}
			if (played+i)%3 == 0 {
				score = map[string]any{"score_a": 0, "score_b": 2} // upsets, so the losers' side wins some
			}
			id := m["id"].(string)
			r := h.call(t, "POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "a")], score).requireStatus(t, http.StatusOK)
			require.Equal(t, "reported", r.Body["status"])
			r = h.call(t, "POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "b")], score).requireStatus(t, http.StatusOK)
			require.Equal(t, "confirmed", r.Body["status"])
		}
		played += len(ready)
	}
	require.Contains(t, []int{30, 31}, played, "2n-2 matches, 2n-1 with the reset")
	require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])

	// Final standings: the last match's winner first, its loser second, then by how late
	// each team went out; nobody is left unplaced.
	b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	var last map[string]any
	for _, m := range b.Body["matches"].([]any) {
		if mm := m.(map[string]any); mm["status"] == "confirmed" {
			last = mm
		}
	}
	st := h.call(t, "GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, st, 16)
	first, second := st[0].(map[string]any), st[1].(map[string]any)
	require.Equal(t, float64(1), first["rank"])

	ex := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket/export?format=brackets-model", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, ex.Body["participant"], 16)
	require.Len(t, ex.Body["group"], 3, "winner bracket, loser bracket, final")
	require.Len(t, ex.Body["match"], 31)
	require.Equal(t, "double_elimination", ex.Body["stage"].([]any)[0].(map[string]any)["type"])
	for _, m := range ex.Body["match"].([]any) {
		require.Equal(t, float64(4), m.(map[string]any)["status"], "every match completed")
	}
	require.Equal(t, last["winner_seed"], first["seed"])
	require.Equal(t, float64(2), second["rank"])
	require.Equal(t, float64(3), st[2].(map[string]any)["rank"], "the losers' final's loser is third")
	prev := 0.0
	for _, row := range st {
		r := row.(map[string]any)["rank"].(float64)
		require.GreaterOrEqual(t, r, prev)
		prev = r
	}
	require.LessOrEqual(t, first["losses"], float64(1), "the champion lost at most once")
	var stored, champions int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE rank = 1 AND seed = $2)
		FROM match_final_standings WHERE tournament_id = $1`, tid, first["seed"]).Scan(&stored, &champions))
	require.Equal(t, 16, stored, "final standings stored at completion")
	require.Equal(t, 1, champions)
	require.Equal(t, float64(2), second["losses"], "the runner-up went out on a second loss")
}

func TestMatchReportingRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	_, outsider := h.player(t, "nosy")

	b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(3), b.Body["best_of"], "from the game settings")
	matches := b.Body["matches"].([]any)
	require.Len(t, matches, 3)
	final := matches[2].(map[string]any)
	m := matches[0].(map[string]any)
	id, a, bb := m["id"].(string), reporters[sideName(m, "a")], reporters[sideName(m, "b")]

	r := h.call(t, "POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 2, "score_b": 2}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.Body["detail"], "best of 3")
	h.call(t, "POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 1, "score_b": 0}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call(t, "POST", "/v1/matches/"+id+"/reports", outsider, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "POST", "/v1/matches/"+final["id"].(string)+"/reports", a, map[string]any{"score_a": 2, "score_b": 0}).
		requireProblem(t, http.StatusForbidden, "forbidden") // its sides are not known yet, so a is not one of them
	h.call(t, "POST", "/v1/matches/"+uuid.NewString()+"/reports", a, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusNotFound, "not_found")

	// Different reports: a dispute, which only the organizer resolves.
	h.call(t, "POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusOK)
	r = h.call(t, "POST", "/v1/matches/"+id+"/reports", bb, map[string]any{"score_a": 0, "score_b": 2}).requireStatus(t, http.StatusOK)
	require.Equal(t, "disputed", r.Body["status"])
	h.call(t, "POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 2, "score_b": 1}).requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "POST", "/v1/matches/"+id+"/resolve", a, map[string]any{"score_a": 2, "score_b": 1}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "POST", "/v1/matches/"+id+"/resolve", org, map[string]any{"score_a": 2, "score_b": 1}).requireStatus(t, http.StatusNoContent)
	h.call(t, "POST", "/v1/matches/"+id+"/resolve", org, map[string]any{"score_a": 2, "score_b": 1}).requireProblem(t, http.StatusConflict, "conflict")

	b = h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	decided := b.Body["matches"].([]any)[0].(map[string]any)
	require.Equal(t, "resolved", decided["status"])
	final = b.Body["matches"].([]any)[2].(map[string]any)
	require.Equal(t, decided["a"].(map[string]any)["name"], final["a"].(map[string]any)["name"], "the winner advanced")
	require.Equal(t, "pending", final["status"], "the other semifinal is not decided yet")

	one := h.call(t, "GET", "/v1/matches/"+id, "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "resolved", one.Body["status"])
	require.Equal(t, float64(2), one.Body["score_a"])
	page := h.call(t, "GET", "/v1/tournaments/"+tid+"/matches?round=1&limit=1", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 1)
	page = h.call(t, "GET", "/v1/tournaments/"+tid+"/matches?round=1&limit=1&cursor="+page.Body["next_cursor"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 1)
	require.Equal(t, "ready", page.Body["items"].([]any)[0].(map[string]any)["status"], "the other semifinal")
	require.NotContains(t, page.Body, "next_cursor")
	page = h.call(t, "GET", "/v1/tournaments/"+tid+"/matches?status=pending", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 1, "only the final waits")
	winner := reporters[final["a"].(map[string]any)["name"].(string)]
	r = h.call(t, "POST", "/v1/matches/"+final["id"].(string)+"/reports", winner, map[string]any{"score_a": 2, "score_b": 0}).
		requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "not ready")
}

// TestConfirmingCostsTheSameAtAnySize: the report that confirms a first-round match costs
// the same round trips in an 8- and a 64-entrant bracket.
func TestConfirmingCostsTheSameAtAnySize(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	counts := map[int]int64{}
	for _, n := range []int{8, 64} {
		tid, reporters := h.startedTournament(t, org, "single_elimination", n, false)
		m := h.readyMatches(t, tid)[0]
		id, score := m["id"].(string), map[string]any{"score_a": 2, "score_b": 0}
		h.call(t, "POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "a")], score).requireStatus(t, http.StatusOK)
		counts[n] = h.countQueries(func() {
			r := h.call(t, "POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "b")], score).requireStatus(t, http.StatusOK)
			require.Equal(t, "confirmed", r.Body["status"])
		})
	}
	require.Equal(t, counts[8], counts[64])
	t.Logf("confirming a result costs %d round trips", counts[8])
}

// TestSwissPlaysToTheEnd: nine players, 3 wins advance and 3 losses eliminate. Each round is
// paired by a job once the previous one is decided; rounds have one bye (nine players), and
// the tournament completes when everyone has reached a threshold.
func TestSwissPlaysToTheEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "swiss", 9, false)

	seen := map[[2]string]bool{}
	rounds, rematches := 0, 0
	for h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"] != "completed" {
		ready := h.readyMatches(t, tid)
		require.NotEmpty(t, ready, "the stage runs but no round is open")
		rounds++
		require.LessOrEqual(t, rounds, 5, "thresholds of 3 take at most five rounds")
		for i, m := range ready {
			a, b := sideName(m, "a"), sideName(m, "b")
			if seen[[2]string{a, b}] || seen[[2]string{b, a}] {
				rematches++
			}
			seen[[2]string{a, b}] = true
			score := map[string]any{"score_a": 2, "score_b": i % 2}
			h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[a], score).requireStatus(t, http.StatusOK)
			h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[b], score).requireStatus(t, http.StatusOK)
		}
		w.WaitIdle(t) // the job that pairs the next round, or ends the stage
	}
	require.GreaterOrEqual(t, rounds, 3, "thresholds of 3 take at least three rounds")
	t.Logf("%d rounds, %d rematches (only when no rematch-free pairing was left)", rounds, rematches)

	b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	byes := map[float64]bool{}
	for _, m := range b.Body["matches"].([]any) {
		mm := m.(map[string]any)
		if mm["status"] == "bye" {
			seed := mm["a"].(map[string]any)["seed"].(float64)
			require.False(t, byes[seed], "seed %v got a second bye", seed)
			byes[seed] = true
		}
	}
	require.NotEmpty(t, byes, "nine players: someone sits out each round")

	st := h.call(t, "GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, st, 9)
	top := st[0].(map[string]any)
	require.Equal(t, float64(1), top["rank"])
	require.GreaterOrEqual(t, top["wins"], float64(3), "the leader reached the advance threshold")
	for i := 1; i < len(st); i++ {
		require.GreaterOrEqual(t, st[i-1].(map[string]any)["wins"], st[i].(map[string]any)["wins"], "ranked by points")
	}
}

// TestOneSidedReportsAutoConfirm: a result only one side reported is confirmed by the job
// the report scheduled; a match both sides settled first is left alone by its job.
func TestOneSidedReportsAutoConfirm(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	ready := h.readyMatches(t, tid)
	lonely, settled := ready[0], ready[1]
	h.call(t, "POST", "/v1/matches/"+lonely["id"].(string)+"/reports", reporters[sideName(lonely, "a")],
		map[string]any{"score_a": 0, "score_b": 2}).requireStatus(t, http.StatusOK)
	for _, side := range []string{"a", "b"} {
		h.call(t, "POST", "/v1/matches/"+settled["id"].(string)+"/reports", reporters[sideName(settled, side)],
			map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusOK)
	}
	// Each match's first report scheduled a job. Time passes: they come due and run.
	scheduled := &rivertest.RequireInsertedOpts{State: rivertype.JobStateScheduled}
	jobs := rivertest.RequireManyInserted(context.Background(), t, riverpgxv5.New(h.pool), []rivertest.ExpectedJob{
		{Args: match.AutoConfirmArgs{}, Opts: scheduled}, {Args: match.AutoConfirmArgs{}, Opts: scheduled},
	})
	var forMatches []string
	for _, j := range jobs {
		var args match.AutoConfirmArgs
		require.NoError(t, json.Unmarshal(j.EncodedArgs, &args))
		forMatches = append(forMatches, args.MatchID.String())
	}
	require.ElementsMatch(t, []string{lonely["id"].(string), settled["id"].(string)}, forMatches)
	w.RunNow(t, jobs...)
	w.WaitIdle(t)
	m := h.call(t, "GET", "/v1/matches/"+lonely["id"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "confirmed", m.Body["status"])
	require.Equal(t, float64(2), m.Body["score_b"], "the one report's score stands")
	m = h.call(t, "GET", "/v1/matches/"+settled["id"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(2), m.Body["score_a"], "a settled match is untouched")
	final := h.readyMatches(t, tid)
	require.Len(t, final, 1, "both winners reached the final")
}

// TestOverride: the organizer corrects a result and the right entrant moves on; once the
// match it fed has been played, the result is final.
func TestOverride(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	ready := h.readyMatches(t, tid)
	semi, other := ready[0], ready[1]
	id := semi["id"].(string)
	h.call(t, "POST", "/v1/matches/"+id+"/override", org, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "POST", "/v1/matches/"+id+"/resolve", org, map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusNoContent)
	h.call(t, "POST", "/v1/matches/"+id+"/override", reporters[sideName(semi, "a")], map[string]any{"score_a": 0, "score_b": 2}).
		requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "POST", "/v1/matches/"+id+"/override", org, map[string]any{"score_a": 0, "score_b": 2}).requireStatus(t, http.StatusNoContent)

	b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	final := b.Body["matches"].([]any)[2].(map[string]any)
	require.Equal(t, sideName(semi, "b"), sideName(final, "a"), "the corrected winner is in the final")

	h.call(t, "POST", "/v1/matches/"+other["id"].(string)+"/resolve", org, map[string]any{"score_a": 2, "score_b": 1}).requireStatus(t, http.StatusNoContent)
	h.call(t, "POST", "/v1/matches/"+final["id"].(string)+"/reports", reporters[sideName(semi, "b")], map[string]any{"score_a": 2, "score_b": 1}).
		requireStatus(t, http.StatusOK)
	r := h.call(t, "POST", "/v1/matches/"+id+"/override", org, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "has been played")
}

func TestForfeit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	m := h.readyMatches(t, tid)[0]
	id := m["id"].(string)
	h.call(t, "POST", "/v1/matches/"+id+"/forfeit", reporters[sideName(m, "a")], map[string]any{"side": "b"}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "POST", "/v1/matches/"+id+"/forfeit", org, map[string]any{"side": "a"}).requireStatus(t, http.StatusNoContent)
	got := h.call(t, "GET", "/v1/matches/"+id, "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "forfeit", got.Body["status"])
	require.Equal(t, m["b"].(map[string]any)["seed"], got.Body["winner_seed"], "the side that played wins")
	h.call(t, "POST", "/v1/matches/"+id+"/forfeit", org, map[string]any{"side": "a"}).requireProblem(t, http.StatusConflict, "conflict")

}
