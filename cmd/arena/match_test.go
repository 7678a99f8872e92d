package main

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
)

// startedTournament registers n entrants (solo, or teams of two) in a tournament of format
// without check-in, builds its bracket and returns the tournament id and each entrant's
// reporter token by display name.
func (h *harness) startedTournament(org, format string, n int, teams bool) (string, map[string]string) {
	h.t.Helper()
	body := h.tournamentBody("cs2", fmt.Sprintf("%s of %d", format, n))
	body["format"], body["capacity"] = format, n
	if n < 3 {
		delete(body, "prize_distribution") // three places need three entrants
	}
	delete(body, "check_in_opens_at")
	delete(body, "check_in_closes_at")
	if teams {
		body["participant_type"] = "team"
	}
	tid := h.call("POST", "/v1/tournaments", org, body).requireStatus(h.t, http.StatusCreated).Body["id"].(string)
	for _, step := range []string{"publish", "open-registration"} {
		h.call("POST", "/v1/tournaments/"+tid+"/"+step, org, nil).requireStatus(h.t, http.StatusOK)
	}
	size := 1
	if teams {
		size = 2
	}
	h.seq++ // handles must be unique across calls
	prefix := fmt.Sprintf("%s%d_%d_", format[:2], n, h.seq)
	ids, tokens := h.fastPlayers(prefix, n*size, 1000)
	reporters := map[string]string{}
	for i := 0; i < n; i++ {
		in := map[string]any{}
		name := fmt.Sprintf("%s%d", prefix, i*size)
		if teams {
			team := db.NewID()
			name = fmt.Sprintf("Team %d.%d", h.seq, i)
			_, err := h.pool.Exec(context.Background(), `INSERT INTO teams (id, name, captain_id, max_members, created_at, updated_at)
				VALUES ($1, $2, $3, 5, now(), now())`, team, name, ids[2*i])
			require.NoError(h.t, err)
			_, err = h.pool.Exec(context.Background(), `INSERT INTO team_members (team_id, user_id, joined_at)
				VALUES ($1, $2, now()), ($1, $3, now() + interval '1 ms')`, team, ids[2*i], ids[2*i+1])
			require.NoError(h.t, err)
			in["team_id"] = team.String()
		}
		h.call("POST", "/v1/tournaments/"+tid+"/registrations", tokens[i*size], in, "Idempotency-Key", fmt.Sprint("j", i)).
			requireStatus(h.t, http.StatusCreated)
		reporters[name] = tokens[i*size]
	}
	h.call("POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(h.t, http.StatusOK)
	b := h.call("POST", "/v1/tournaments/"+tid+"/bracket", org, map[string]any{}).requireStatus(h.t, http.StatusCreated)
	require.NotEmpty(h.t, b.Body["matches"])
	return tid, reporters
}

// readyMatches lists the ready matches of a bracket with both sides' names.
func (h *harness) readyMatches(tid string) []map[string]any {
	h.t.Helper()
	b := h.call("GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(h.t, http.StatusOK)
	var out []map[string]any
	for _, m := range b.Body["matches"].([]any) {
		if mm := m.(map[string]any); mm["status"] == "ready" {
			out = append(out, mm)
		}
	}
	return out
}

func sideName(m map[string]any, side string) string {
	return m[side].(map[string]any)["name"].(string)
}

// TestDoubleEliminationPlaysToTheEnd: 16 paid teams register, the bracket is built, both
// captains report every match, and the tournament completes after 30 or 31 matches.
func TestDoubleEliminationPlaysToTheEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	tid, reporters := h.startedTournament(org, "double_elimination", 16, true)
	require.Equal(t, "running", h.call("GET", "/v1/tournaments/"+tid, "", nil).Body["status"])

	played := 0
	for round := 0; round < 100; round++ {
		ready := h.readyMatches(tid)
		if len(ready) == 0 {
			break
		}
		for i, m := range ready {
			score := map[string]any{"score_a": 2, "score_b": 1}
			if (played+i)%3 == 0 {
				score = map[string]any{"score_a": 0, "score_b": 2} // upsets, so the losers' side wins some
			}
			id := m["id"].(string)
			r := h.call("POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "a")], score).requireStatus(t, http.StatusOK)
			require.Equal(t, "reported", r.Body["status"])
			r = h.call("POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "b")], score).requireStatus(t, http.StatusOK)
			require.Equal(t, "confirmed", r.Body["status"])
		}
		played += len(ready)
	}
	require.Contains(t, []int{30, 31}, played, "2n-2 matches, 2n-1 with the reset")
	require.Equal(t, "completed", h.call("GET", "/v1/tournaments/"+tid, "", nil).Body["status"])

	// Final standings: the last match's winner first, its loser second, then by how late
	// each team went out; nobody is left unplaced.
	b := h.call("GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	var last map[string]any
	for _, m := range b.Body["matches"].([]any) {
		if mm := m.(map[string]any); mm["status"] == "confirmed" {
			last = mm
		}
	}
	st := h.call("GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, st, 16)
	first, second := st[0].(map[string]any), st[1].(map[string]any)
	require.Equal(t, float64(1), first["rank"])

	ex := h.call("GET", "/v1/tournaments/"+tid+"/bracket/export?format=brackets-model", "", nil).requireStatus(t, http.StatusOK)
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
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	tid, reporters := h.startedTournament(org, "single_elimination", 4, false)
	_, outsider := h.player("nosy")

	b := h.call("GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(3), b.Body["best_of"], "from the game settings")
	matches := b.Body["matches"].([]any)
	require.Len(t, matches, 3)
	final := matches[2].(map[string]any)
	m := matches[0].(map[string]any)
	id, a, bb := m["id"].(string), reporters[sideName(m, "a")], reporters[sideName(m, "b")]

	r := h.call("POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 2, "score_b": 2}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.Body["detail"], "best of 3")
	h.call("POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 1, "score_b": 0}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call("POST", "/v1/matches/"+id+"/reports", outsider, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call("POST", "/v1/matches/"+final["id"].(string)+"/reports", a, map[string]any{"score_a": 2, "score_b": 0}).
		requireProblem(t, http.StatusForbidden, "forbidden") // its sides are not known yet, so a is not one of them
	h.call("POST", "/v1/matches/"+uuid.NewString()+"/reports", a, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusNotFound, "not_found")

	// Different reports: a dispute, which only the organizer resolves.
	h.call("POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusOK)
	r = h.call("POST", "/v1/matches/"+id+"/reports", bb, map[string]any{"score_a": 0, "score_b": 2}).requireStatus(t, http.StatusOK)
	require.Equal(t, "disputed", r.Body["status"])
	h.call("POST", "/v1/matches/"+id+"/reports", a, map[string]any{"score_a": 2, "score_b": 1}).requireProblem(t, http.StatusConflict, "conflict")
	h.call("POST", "/v1/matches/"+id+"/resolve", a, map[string]any{"score_a": 2, "score_b": 1}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call("POST", "/v1/matches/"+id+"/resolve", org, map[string]any{"score_a": 2, "score_b": 1}).requireStatus(t, http.StatusNoContent)
	h.call("POST", "/v1/matches/"+id+"/resolve", org, map[string]any{"score_a": 2, "score_b": 1}).requireProblem(t, http.StatusConflict, "conflict")

	b = h.call("GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	decided := b.Body["matches"].([]any)[0].(map[string]any)
	require.Equal(t, "resolved", decided["status"])
	final = b.Body["matches"].([]any)[2].(map[string]any)
	require.Equal(t, decided["a"].(map[string]any)["name"], final["a"].(map[string]any)["name"], "the winner advanced")
	require.Equal(t, "pending", final["status"], "the other semifinal is not decided yet")

	one := h.call("GET", "/v1/matches/"+id, "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "resolved", one.Body["status"])
	require.Equal(t, float64(2), one.Body["score_a"])
	page := h.call("GET", "/v1/tournaments/"+tid+"/matches?round=1&limit=1", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 1)
	page = h.call("GET", "/v1/tournaments/"+tid+"/matches?round=1&limit=1&cursor="+page.Body["next_cursor"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 1)
	require.Equal(t, "ready", page.Body["items"].([]any)[0].(map[string]any)["status"], "the other semifinal")
	require.NotContains(t, page.Body, "next_cursor")
	page = h.call("GET", "/v1/tournaments/"+tid+"/matches?status=pending", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 1, "only the final waits")
	winner := reporters[final["a"].(map[string]any)["name"].(string)]
	r = h.call("POST", "/v1/matches/"+final["id"].(string)+"/reports", winner, map[string]any{"score_a": 2, "score_b": 0}).
		requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "not ready")
}

// TestConfirmingCostsTheSameAtAnySize: the report that confirms a first-round match costs
// the same round trips in an 8- and a 64-entrant bracket.
func TestConfirmingCostsTheSameAtAnySize(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	counts := map[int]int64{}
	for _, n := range []int{8, 64} {
		tid, reporters := h.startedTournament(org, "single_elimination", n, false)
		m := h.readyMatches(tid)[0]
		id, score := m["id"].(string), map[string]any{"score_a": 2, "score_b": 0}
		h.call("POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "a")], score).requireStatus(t, http.StatusOK)
		counts[n] = h.countQueries(func() {
			r := h.call("POST", "/v1/matches/"+id+"/reports", reporters[sideName(m, "b")], score).requireStatus(t, http.StatusOK)
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
	h.startWorkers()
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	tid, reporters := h.startedTournament(org, "swiss", 9, false)

	seen := map[[2]string]bool{}
	rounds, rematches := 0, 0
	deadline := time.Now().Add(time.Minute)
	for h.call("GET", "/v1/tournaments/"+tid, "", nil).Body["status"] != "completed" {
		require.True(t, time.Now().Before(deadline), "the stage did not finish:\n%s", jobStates(t, h))
		ready := h.readyMatches(tid)
		if len(ready) == 0 {
			time.Sleep(50 * time.Millisecond) // the next round is being paired
			continue
		}
		rounds++
		for i, m := range ready {
			a, b := sideName(m, "a"), sideName(m, "b")
			if seen[[2]string{a, b}] || seen[[2]string{b, a}] {
				rematches++
			}
			seen[[2]string{a, b}] = true
			score := map[string]any{"score_a": 2, "score_b": i % 2}
			h.call("POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[a], score).requireStatus(t, http.StatusOK)
			h.call("POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[b], score).requireStatus(t, http.StatusOK)
		}
	}
	require.GreaterOrEqual(t, rounds, 3, "thresholds of 3 take at least three rounds")
	require.LessOrEqual(t, rounds, 5, "and at most five")
	t.Logf("%d rounds, %d rematches (only when no rematch-free pairing was left)", rounds, rematches)

	b := h.call("GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
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

	st := h.call("GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, st, 9)
	top := st[0].(map[string]any)
	require.Equal(t, float64(1), top["rank"])
	require.GreaterOrEqual(t, top["wins"], float64(3), "the leader reached the advance threshold")
	for i := 1; i < len(st); i++ {
		require.GreaterOrEqual(t, st[i-1].(map[string]any)["wins"], st[i].(map[string]any)["wins"], "ranked by points")
	}
}

func jobStates(t *testing.T, h *harness) string {
	rows, err := h.pool.Query(context.Background(), "SELECT kind, state, errors::text FROM river_job WHERE kind LIKE 'match%' ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	out := ""
	for rows.Next() {
		var kind, state string
		var errs *string
		require.NoError(t, rows.Scan(&kind, &state, &errs))
		out += fmt.Sprintf("%s %s\n", kind, state)
		if errs != nil {
			out += *errs + "\n"
		}
	}
	return out
}

// TestOneSidedReportsAutoConfirm: a result only one side reported is confirmed by the job
// the report scheduled; a match both sides settled first is left alone by its job.
func TestOneSidedReportsAutoConfirm(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.startWorkers()
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	tid, reporters := h.startedTournament(org, "single_elimination", 4, false)
	ready := h.readyMatches(tid)
	lonely, settled := ready[0], ready[1]
	h.call("POST", "/v1/matches/"+lonely["id"].(string)+"/reports", reporters[sideName(lonely, "a")],
		map[string]any{"score_a": 0, "score_b": 2}).requireStatus(t, http.StatusOK)
	for _, side := range []string{"a", "b"} {
		h.call("POST", "/v1/matches/"+settled["id"].(string)+"/reports", reporters[sideName(settled, side)],
			map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusOK)
	}
	// Time passes: the scheduled jobs come due.
	_, err := h.pool.Exec(context.Background(), "UPDATE river_job SET scheduled_at = now(), state = 'available' WHERE kind = 'match.auto_confirm'")
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		m := h.call("GET", "/v1/matches/"+lonely["id"].(string), "", nil)
		return m.Body["status"] == "confirmed"
	}, 30*time.Second, 50*time.Millisecond)
	m := h.call("GET", "/v1/matches/"+lonely["id"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(2), m.Body["score_b"], "the one report's score stands")
	m = h.call("GET", "/v1/matches/"+settled["id"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(2), m.Body["score_a"], "a settled match is untouched")
	final := h.readyMatches(tid)
	require.Len(t, final, 1, "both winners reached the final")
}

// TestOverride: the organizer corrects a result and the right entrant moves on; once the
// match it fed has been played, the result is final.
func TestOverride(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	tid, reporters := h.startedTournament(org, "single_elimination", 4, false)
	ready := h.readyMatches(tid)
	semi, other := ready[0], ready[1]
	id := semi["id"].(string)
	h.call("POST", "/v1/matches/"+id+"/override", org, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusConflict, "conflict")
	h.call("POST", "/v1/matches/"+id+"/resolve", org, map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusNoContent)
	h.call("POST", "/v1/matches/"+id+"/override", reporters[sideName(semi, "a")], map[string]any{"score_a": 0, "score_b": 2}).
		requireProblem(t, http.StatusForbidden, "forbidden")
	h.call("POST", "/v1/matches/"+id+"/override", org, map[string]any{"score_a": 0, "score_b": 2}).requireStatus(t, http.StatusNoContent)

	b := h.call("GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	final := b.Body["matches"].([]any)[2].(map[string]any)
	require.Equal(t, sideName(semi, "b"), sideName(final, "a"), "the corrected winner is in the final")

	h.call("POST", "/v1/matches/"+other["id"].(string)+"/resolve", org, map[string]any{"score_a": 2, "score_b": 1}).requireStatus(t, http.StatusNoContent)
	h.call("POST", "/v1/matches/"+final["id"].(string)+"/reports", reporters[sideName(semi, "b")], map[string]any{"score_a": 2, "score_b": 1}).
		requireStatus(t, http.StatusOK)
	r := h.call("POST", "/v1/matches/"+id+"/override", org, map[string]any{"score_a": 2, "score_b": 0}).requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "has been played")
}

func TestForfeit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	tid, reporters := h.startedTournament(org, "single_elimination", 4, false)
	m := h.readyMatches(tid)[0]
	id := m["id"].(string)
	h.call("POST", "/v1/matches/"+id+"/forfeit", reporters[sideName(m, "a")], map[string]any{"side": "b"}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call("POST", "/v1/matches/"+id+"/forfeit", org, map[string]any{"side": "a"}).requireStatus(t, http.StatusNoContent)
	got := h.call("GET", "/v1/matches/"+id, "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "forfeit", got.Body["status"])
	require.Equal(t, m["b"].(map[string]any)["seed"], got.Body["winner_seed"], "the side that played wins")
	h.call("POST", "/v1/matches/"+id+"/forfeit", org, map[string]any{"side": "a"}).requireProblem(t, http.StatusConflict, "conflict")

}
