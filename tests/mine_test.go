package tests

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMyMatches: a player's matches across tournaments, solo and as a team member (not the
// captain): live first, then upcoming, then recent, keyset-paginated, in one query whether
// the player has one match or a hundred.
func TestMyMatches(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	ids, tokens := h.fastPlayers(t, "me_", 4, 1000)
	me := tokens[1]

	// A team tournament: the player is a member of the first team, not its captain.
	teams := h.withoutCheckIn("Team Cup", "single_elimination", 2)
	teams["participant_type"] = "team"
	delete(teams, "prize_distribution")
	team := h.openRegistration(t, org, teams)
	for i, name := range []string{"Reds", "Blues"} {
		id := h.team(t, name, ids[2*i], ids[2*i+1])
		h.call(t, "POST", "/v1/tournaments/"+team+"/registrations", tokens[2*i], map[string]any{"team_id": id}, "Idempotency-Key", name).
			requireStatus(t, http.StatusCreated)
	}
	h.call(t, "POST", "/v1/tournaments/"+team+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+team+"/start", org, nil).requireStatus(t, http.StatusOK)

	// A solo tournament of four: the player wins the semifinal (recent) and waits for the
	// final's other side (upcoming).
	solo := h.openRegistration(t, org, h.withoutCheckIn("Solo Cup", "single_elimination", 4))
	h.join(t, solo, tokens...)
	h.call(t, "POST", "/v1/tournaments/"+solo+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+solo+"/start", org, nil).requireStatus(t, http.StatusOK)
	for _, m := range h.readyMatches(t, solo) {
		if sideName(m, "a") == "me_1" || sideName(m, "b") == "me_1" {
			winner := "a"
			if sideName(m, "b") == "me_1" {
				winner = "b"
			}
			h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/forfeit", org, map[string]any{"side": map[string]string{"a": "b", "b": "a"}[winner]}).
				requireStatus(t, http.StatusNoContent)
		}
	}

	items := h.call(t, "GET", "/v1/me/matches", me, nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	require.Len(t, items, 3)
	var whens []any
	for _, it := range items {
		whens = append(whens, it.(map[string]any)["when"])
	}
	require.Equal(t, []any{"live", "upcoming", "recent"}, whens)
	live := items[0].(map[string]any)
	require.Equal(t, "Team Cup", live["tournament"].(map[string]any)["name"])
	require.Equal(t, "Reds", live[live["side"].(string)].(map[string]any)["name"], "the caller's side")
	require.Equal(t, "Solo Cup", items[2].(map[string]any)["tournament"].(map[string]any)["name"])
	page := h.call(t, "GET", "/v1/me/matches?limit=2", me, nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 2)
	rest := h.call(t, "GET", "/v1/me/matches?limit=2&cursor="+page.Body["next_cursor"].(string), me, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, items[2].(map[string]any)["id"], rest.Body["items"].([]any)[0].(map[string]any)["id"])
	require.NotContains(t, rest.Body, "next_cursor")
	h.call(t, "GET", "/v1/me/matches", "", nil).requireProblem(t, http.StatusUnauthorized, "unauthorized")

	t.Run("OneQueryForOneOrAHundred", func(t *testing.T) {
		// A round robin of 101: everyone has 100 matches; a 2-player one: one match.
		big := h.openRegistration(t, org, h.withoutCheckIn("Big League", "round_robin", 101))
		_, many := h.fastPlayers(t, "rr_", 101, 1000)
		h.join(t, big, many...)
		h.call(t, "POST", "/v1/tournaments/"+big+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
		h.call(t, "POST", "/v1/tournaments/"+big+"/start", org, nil).requireStatus(t, http.StatusOK)
		_, reporters := h.startedTournament(t, org, "single_elimination", 2, false)
		var one string
		for _, tok := range reporters {
			one = tok
		}
		counts := map[int]int64{}
		for n, tok := range map[int]string{1: one, 100: many[0]} {
			var r response
			counts[n] = h.countQueries(func() { r = h.call(t, "GET", "/v1/me/matches?limit=100", tok, nil).requireStatus(t, http.StatusOK) })
			require.Len(t, r.Body["items"], n)
		}
		require.Equal(t, counts[1], counts[100])
		require.Equal(t, int64(2), counts[1], "authenticate + one page query")
	})
}
