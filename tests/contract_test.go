package tests

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/internal/app"
)

// TestCreatedResourcesSayWhere: a 201 names where the new resource is, and it is there.
func TestCreatedResourcesSayWhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.WebhookAllowPrivate = true })
	admin, org := h.staffWithGame(t)
	_, captain := h.fastUser(t, "cap")
	tid, _ := h.startedTournament(t, org, "single_elimination", 4, false)
	game := h.call(t, "POST", "/v1/games", admin, map[string]any{"slug": "dota", "name": "Dota", "team_size_min": 1,
		"team_size_max": 5, "platforms": []string{"pc"}})
	_, players := h.fastPlayers(t, "where", 1, 10_000)
	open := h.paidSolo(t, org, 4)
	join := func() response {
		return h.call(t, "POST", "/v1/tournaments/"+open+"/registrations", players[0], map[string]any{},
			"Idempotency-Key", "where")
	}
	joined := join()
	for _, c := range []struct {
		created response
		token   string
	}{
		{game, ""},
		{h.call(t, "POST", "/v1/tournaments", org, h.tournamentBody("cs2", "Where Cup")), org},
		{h.call(t, "POST", "/v1/teams", captain, map[string]any{"name": "Wherewolves", "max_members": 3}), ""},
		{h.call(t, "POST", "/v1/webhooks", org, map[string]any{"url": "http://127.0.0.1:1/hook"}), org},
		{joined, players[0]},
	} {
		c.created.requireStatus(t, http.StatusCreated)
		where := c.created.Header.Get("Location")
		require.NotEmpty(t, where)
		got := h.call(t, "GET", where, c.token, nil).requireStatus(t, http.StatusOK)
		for _, key := range []string{"id", "slug"} {
			if v, ok := c.created.Body[key]; ok {
				require.Equal(t, v, got.Body[key], where)
			}
		}
	}
	require.NotEmpty(t, tid)
	replay := join().requireStatus(t, http.StatusCreated)
	require.Equal(t, "true", replay.Header.Get("Idempotent-Replayed"))
	require.Equal(t, joined.Header.Get("Location"), replay.Header.Get("Location"), "a replay says where, as the first answer did")
}

// TestConditionalGets: If-None-Match is read as RFC 9110 says — weak tags, lists and "*"
// answer 304; another tag answers the page.
func TestConditionalGets(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	h.paidSolo(t, org, 8)
	first := h.call(t, "GET", "/v1/tournaments", "", nil).requireStatus(t, http.StatusOK)
	etag := first.Header.Get("ETag")
	require.NotEmpty(t, etag)
	for _, header := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		h.call(t, "GET", "/v1/tournaments", "", nil, "If-None-Match", header).requireStatus(t, http.StatusNotModified)
	}
	h.call(t, "GET", "/v1/tournaments", "", nil, "If-None-Match", `"other"`).requireStatus(t, http.StatusOK)
}
