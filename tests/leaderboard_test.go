package tests

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/internal/app"
	"github.com/arenaesports/arena/modules/leaderboard/glicko"
	"github.com/arenaesports/arena/modules/match"
)

// TestLeaderboardAfterTwoTournaments: eight players play a round robin, then — a season
// having begun and five idle periods (of an hour here) gone by — a single elimination
// seeded by their new ratings.
// Ratings, ranks and season points then match a recomputation from scratch (Glicko-2 over
// the played matches, period by period, with idle widening), the rating board and the
// season board agree with it, a competitor's page shows rank, percentile and history, and
// running the first tournament's rating job again changes nothing.
func TestLeaderboardAfterTwoTournaments(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.RatingIdlePeriod = time.Hour })
	w := h.startWorkers(t)
	admin, org := h.staffWithGame(t)
	_, tokens := h.fastPlayers(t, "lb_", 8, 10_000)
	reporters := map[string]string{}
	for i, tok := range tokens {
		reporters[fmt.Sprintf("lb_%d", i)] = tok
	}

	first := h.soloTournament(t, org, "round_robin", "registration", reporters)
	for range 10 {
		if len(h.playReady(t, first, reporters)) == 0 {
			break
		}
	}
	require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+first, "", nil).Body["status"])
	w.WaitIdle(t)

	// A season from now on; the second tournament completes in it, five idle periods later.
	now := h.clock.Now()
	points := []int{100, 60, 40, 40, 10}
	h.call(t, "POST", "/v1/games/cs2/seasons", org, map[string]any{"slug": "s1", "name": "Season 1",
		"starts_at": now, "ends_at": now.AddDate(0, 6, 0), "points": points}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "POST", "/v1/games/cs2/seasons", admin, map[string]any{"slug": "s1", "name": "Season 1",
		"starts_at": now, "ends_at": now.AddDate(0, 6, 0), "points": points}).requireStatus(t, http.StatusCreated)
	h.call(t, "POST", "/v1/games/cs2/seasons", admin, map[string]any{"slug": "s2", "name": "Overlap",
		"starts_at": now.AddDate(0, 5, 0), "ends_at": now.AddDate(1, 0, 0), "points": points}).requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "GET", "/v1/games/cs2/leaderboard?board=season", "", nil).requireStatus(t, http.StatusOK)
	h.clock.Advance(5 * time.Hour)

	firstBoard := h.call(t, "GET", "/v1/games/cs2/leaderboard?limit=8", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	ratingOf := map[string]any{}
	for _, it := range firstBoard {
		ratingOf[it.(map[string]any)["competitor"].(map[string]any)["handle"].(string)] = it.(map[string]any)["rating"]
	}
	second := h.soloTournament(t, org, "single_elimination", "rating", reporters)
	seeded := h.call(t, "GET", "/v1/tournaments/"+second+"/bracket", "", nil).Body["matches"].([]any)[0].(map[string]any)
	require.Equal(t, float64(0), seeded["a"].(map[string]any)["seed"])
	// Players level on the first round robin share the best rating; any of them may be seed 1.
	require.Equal(t, firstBoard[0].(map[string]any)["rating"], ratingOf[seeded["a"].(map[string]any)["name"].(string)],
		"seeded by rating: seed 1 has the best rating")
	for range 10 {
		if len(h.playReady(t, second, reporters)) == 0 {
			break
		}
	}
	require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+second, "", nil).Body["status"])
	w.WaitIdle(t)

	// Recompute from scratch.
	want := recomputeRatings(t, h, []string{first, second}, time.Hour)
	board := h.call(t, "GET", "/v1/games/cs2/leaderboard?limit=3", "", nil).requireStatus(t, http.StatusOK)
	var items []any
	for page := board; ; {
		items = append(items, page.Body["items"].([]any)...)
		next, _ := page.Body["next_cursor"].(string)
		if next == "" {
			break
		}
		page = h.call(t, "GET", "/v1/games/cs2/leaderboard?limit=3&cursor="+next, "", nil).requireStatus(t, http.StatusOK)
	}
	require.Len(t, items, 8, "every player rated, across pages")
	type rated struct {
		id     uuid.UUID
		rating float64
	}
	var expected []rated
	for id, r := range want {
		expected = append(expected, rated{id, r.Rating})
	}
	slices.SortFunc(expected, func(a, b rated) int {
		return cmp.Or(cmp.Compare(b.rating, a.rating), cmp.Compare(a.id.String(), b.id.String()))
	})
	for i, item := range items {
		e := item.(map[string]any)
		c := e["competitor"].(map[string]any)
		require.Equal(t, expected[i].id.String(), c["id"], "position %d", i)
		require.InDelta(t, expected[i].rating, e["rating"], 0.006)
		rank := 1 + slices.IndexFunc(expected, func(x rated) bool { return x.rating == expected[i].rating })
		require.Equal(t, float64(rank), e["rank"], "1 + those rated higher; equal ratings share a rank")
		require.InDelta(t, want[expected[i].id].Deviation, e["deviation"], 0.006, "rated just now: not widened yet")
		require.Equal(t, "user", c["kind"])
		require.NotEmpty(t, c["handle"])
	}

	// Season points: only the second tournament completed within the season.
	awarded := map[uuid.UUID]int{}
	rows, err := h.pool.Query(context.Background(), `SELECT e.competitor_id, f.rank FROM match_final_standings f
		JOIN match_entrants e ON e.tournament_id = f.tournament_id AND e.seed = f.seed WHERE f.tournament_id = $1`, second)
	require.NoError(t, err)
	for rows.Next() {
		var id uuid.UUID
		var rank int
		require.NoError(t, rows.Scan(&id, &rank))
		if rank <= len(points) {
			awarded[id] = points[rank-1]
		}
	}
	require.NoError(t, rows.Err())
	season := h.call(t, "GET", "/v1/games/cs2/leaderboard?board=season", "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "s1", season.Body["season"].(map[string]any)["slug"])
	seasonItems := season.Body["items"].([]any)
	require.Len(t, seasonItems, len(awarded))
	prev := math.Inf(1)
	for i, item := range seasonItems {
		e := item.(map[string]any)
		id := uuid.MustParse(e["competitor"].(map[string]any)["id"].(string))
		require.Equal(t, float64(awarded[id]), e["points"])
		require.LessOrEqual(t, e["points"], prev)
		if e["points"] == prev {
			require.Equal(t, seasonItems[i-1].(map[string]any)["rank"], e["rank"], "equal points share a rank")
		}
		prev = e["points"].(float64)
	}

	// A competitor's page, and the entries around them.
	mid := expected[4].id.String()
	c := h.call(t, "GET", "/v1/games/cs2/leaderboard/competitors/"+mid, "", nil).requireStatus(t, http.StatusOK)
	midRank := items[4].(map[string]any)["rank"].(float64)
	require.Equal(t, midRank, c.Body["rank"])
	require.Equal(t, float64(8), c.Body["rated_competitors"])
	require.Equal(t, 100*(8-midRank+1)/8, c.Body["percentile"])
	require.Equal(t, float64(2), c.Body["tournaments"])
	history := c.Body["recent_history"].([]any)
	require.Len(t, history, 2)
	require.Equal(t, second, history[0].(map[string]any)["tournament_id"], "newest first")
	h.call(t, "GET", "/v1/games/cs2/leaderboard/competitors/"+uuid.NewString(), "", nil).requireProblem(t, http.StatusNotFound, "not_found")
	around := h.call(t, "GET", "/v1/games/cs2/leaderboard/around/"+mid+"?radius=2", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, around, 5)
	for i, item := range around {
		e := item.(map[string]any)
		require.Equal(t, items[2+i].(map[string]any)["rank"], e["rank"])
		require.Equal(t, expected[2+i].id.String(), e["competitor"].(map[string]any)["id"])
	}
	h.call(t, "GET", "/v1/games/nope/leaderboard", "", nil).requireProblem(t, http.StatusNotFound, "not_found")
	h.call(t, "GET", "/v1/games/cs2/leaderboard?board=season&season=s9", "", nil).requireProblem(t, http.StatusNotFound, "not_found")

	// Anonymous readers may revalidate.
	etag := board.Header.Get("ETag")
	require.NotEmpty(t, etag)
	h.call(t, "GET", "/v1/games/cs2/leaderboard?limit=3", "", nil, "If-None-Match", etag).requireStatus(t, http.StatusNotModified)

	// The first tournament's job, run again, changes nothing.
	before := leaderboardSnapshot(t, h)
	var completedAt time.Time
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT completed_at FROM leaderboard_periods WHERE tournament_id = $1`, first).Scan(&completedAt))
	_, err = w.Client.Insert(context.Background(), match.CompletedArgs{TournamentID: uuid.MustParse(first), CompletedAt: completedAt}, nil)
	require.NoError(t, err)
	w.WaitIdle(t)
	require.Equal(t, before, leaderboardSnapshot(t, h))
}

// recomputeRatings replays the tournaments' played matches through Glicko-2 in completion
// order, straight from the match tables, independently of the leaderboard module.
func recomputeRatings(t *testing.T, h *harness, tournaments []string, idle time.Duration) map[uuid.UUID]glicko.Rating {
	ctx := context.Background()
	ratings := map[uuid.UUID]glicko.Rating{}
	last := map[uuid.UUID]time.Time{}
	for _, tid := range tournaments {
		var at time.Time
		require.NoError(t, h.pool.QueryRow(ctx, `SELECT completed_at FROM leaderboard_periods WHERE tournament_id = $1`, tid).Scan(&at))
		rows, err := h.pool.Query(ctx, `SELECT ea.competitor_id, eb.competitor_id, m.winner_seed = m.a_seed FROM matches m
			JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
			JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
			WHERE m.tournament_id = $1 AND m.status IN ('confirmed', 'resolved') ORDER BY m.number`, tid)
		require.NoError(t, err)
		before := map[uuid.UUID]glicko.Rating{}
		results := map[uuid.UUID][]glicko.Result{}
		pre := func(id uuid.UUID) glicko.Rating {
			if r, ok := before[id]; ok {
				return r
			}
			r, ok := ratings[id]
			if !ok {
				r = glicko.New()
			} else {
				r = glicko.Idle(r, last[id], at, idle)
			}
			before[id] = r
			return r
		}
		type game struct {
			a, b uuid.UUID
			aWon bool
		}
		var games []game
		for rows.Next() {
			var g game
			require.NoError(t, rows.Scan(&g.a, &g.b, &g.aWon))
			games = append(games, g)
		}
		require.NoError(t, rows.Err())
		for _, g := range games {
			sa := 0.0
			if g.aWon {
				sa = 1
			}
			results[g.a] = append(results[g.a], glicko.Result{Opponent: pre(g.b), Score: sa})
			results[g.b] = append(results[g.b], glicko.Result{Opponent: pre(g.a), Score: 1 - sa})
		}
		for id, res := range results {
			ratings[id] = glicko.Update(before[id], res, 0.5)
			last[id] = at
		}
	}
	return ratings
}

// leaderboardSnapshot is every leaderboard table's content, for before/after comparisons.
func leaderboardSnapshot(t *testing.T, h *harness) string {
	var out string
	for _, q := range []string{
		`SELECT string_agg(format('%s %s %s %s %s', competitor_id, rating, deviation, volatility, tournaments), ';' ORDER BY competitor_id) FROM leaderboard_ratings`,
		`SELECT string_agg(format('%s %s %s', competitor_id, tournament_id, rating), ';' ORDER BY competitor_id, tournament_id) FROM leaderboard_rating_history`,
		`SELECT string_agg(format('%s %s %s', board_id, competitor_id, score), ';' ORDER BY board_id, competitor_id) FROM leaderboard_entries`,
		`SELECT string_agg(format('%s %s %s %s', board_id, width, bucket, entries), ';' ORDER BY board_id, width, bucket) FROM leaderboard_counts`,
	} {
		var s *string
		require.NoError(t, h.pool.QueryRow(context.Background(), q).Scan(&s))
		require.NotNil(t, s)
		out += *s + "\n"
	}
	return out
}

// TestLeaderboardReadsInOneRoundTrip: a board page, a neighbourhood and a competitor page
// each take one round trip, for a board of 3 or of 150 competitors (pages of 100), and
// none when served from the cache.
func TestLeaderboardReadsInOneRoundTrip(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	for _, size := range []int{3, 150} {
		slug := fmt.Sprintf("g%d", size)
		h.game(t, admin, slug)
		ids, _ := h.fastPlayers(t, slug+"_", size, 1)
		_, err := h.pool.Exec(context.Background(), `
			WITH g AS (SELECT id FROM games WHERE slug = $1),
			r AS (INSERT INTO leaderboard_ratings (game_id, competitor_id, rating, deviation, volatility, tournaments, last_rated_at)
			      SELECT g.id, u, 1400 + 10 * o, 80, 0.06, 1, $3 FROM g, unnest($2::uuid[]) WITH ORDINALITY AS x (u, o) RETURNING *)
			INSERT INTO leaderboard_entries (board_id, competitor_id, competitor_kind, score) SELECT game_id, competitor_id, 'user', rating FROM r`,
			slug, ids, h.clock.Now())
		require.NoError(t, err)
		for _, path := range []string{
			"/v1/games/" + slug + "/leaderboard?limit=100",
			"/v1/games/" + slug + "/leaderboard/around/" + ids[size/2].String() + "?radius=50",
			"/v1/games/" + slug + "/leaderboard/competitors/" + ids[0].String(),
		} {
			require.EqualValues(t, 1, h.countQueries(func() { h.call(t, "GET", path, "", nil).requireStatus(t, http.StatusOK) }), "%s", path)
			require.EqualValues(t, 0, h.countQueries(func() { h.call(t, "GET", path, "", nil).requireStatus(t, http.StatusOK) }), "%s cached", path)
		}
		c := h.call(t, "GET", "/v1/games/"+slug+"/leaderboard/competitors/"+ids[0].String(), "", nil).Body
		require.Equal(t, float64(size), c["rank"], "the lowest rated is last")
	}
}

// TestTeamsAreRatedAsTeams: in team play the competitor is the team, named on the board.
func TestTeamsAreRatedAsTeams(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, true)
	for range 4 {
		if len(h.playReady(t, tid, reporters)) == 0 {
			break
		}
	}
	require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])
	w.WaitIdle(t)
	items := h.call(t, "GET", "/v1/games/cs2/leaderboard", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, items, 4)
	for _, item := range items {
		c := item.(map[string]any)["competitor"].(map[string]any)
		require.Equal(t, "team", c["kind"])
		require.Contains(t, reporters, c["name"], "the team's name")
		require.Nil(t, c["handle"])
	}
	champion := items[0].(map[string]any)["competitor"].(map[string]any)
	require.Equal(t, h.standingsByName(t, tid)[champion["name"].(string)]["rank"], float64(1), "the champion rates highest")
}
