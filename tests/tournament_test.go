package tests

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestGames(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	_, player := h.player(t, "pat")

	h.call(t, "POST", "/v1/games", player, map[string]any{"slug": "cs2", "name": "CS2", "team_size_min": 5, "team_size_max": 5}).
		requireProblem(t, http.StatusForbidden, "forbidden")
	h.game(t, admin, "cs2")
	h.call(t, "POST", "/v1/games", admin, map[string]any{"slug": "cs2", "name": "Again", "team_size_min": 1, "team_size_max": 1}).
		requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "POST", "/v1/games", admin, map[string]any{"slug": "bad", "name": "Bad", "team_size_min": 3, "team_size_max": 2}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	r := h.call(t, "POST", "/v1/games", admin, map[string]any{"slug": "bad", "name": "Bad", "team_size_min": 1, "team_size_max": 2,
		"config_schema": map[string]any{"type": "no-such-type"}}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.Body["detail"], "config schema")
	h.call(t, "POST", "/v1/games", admin, map[string]any{"slug": "bad", "name": "Bad", "team_size_min": 1, "team_size_max": 2,
		"config_schema": map[string]any{"$ref": "file:///etc/passwd"}}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")

	g := h.call(t, "GET", "/v1/games/cs2", "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "CS2", g.Body["name"])
	h.call(t, "GET", "/v1/games/nope", "", nil).requireProblem(t, http.StatusNotFound, "not_found")
	h.call(t, "PATCH", "/v1/games/cs2", player, map[string]any{"name": "X"}).requireProblem(t, http.StatusForbidden, "forbidden")
	g = h.call(t, "PATCH", "/v1/games/cs2", admin, map[string]any{"name": "Counter-Strike 2"}).requireStatus(t, http.StatusOK)
	require.Equal(t, "Counter-Strike 2", g.Body["name"])

	for _, slug := range []string{"dota2", "valorant"} {
		h.game(t, admin, slug)
	}
	page := h.call(t, "GET", "/v1/games?limit=2", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, page.Body["items"], 2)
	page = h.call(t, "GET", "/v1/games?limit=2&cursor="+page.Body["next_cursor"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "valorant", page.Body["items"].([]any)[0].(map[string]any)["slug"])

	t.Run("ConfigSchemaIsCacheable", func(t *testing.T) {
		r := h.call(t, "GET", "/v1/games/cs2/config-schema", "", nil).requireStatus(t, http.StatusOK)
		require.Equal(t, []any{"best_of"}, r.Body["required"])
		etag := r.Header.Get("ETag")
		require.NotEmpty(t, etag)
		require.Contains(t, r.Header.Get("Cache-Control"), "max-age")
		r = h.call(t, "GET", "/v1/games/cs2/config-schema", "", nil, "If-None-Match", etag).requireStatus(t, http.StatusNotModified)
		require.Empty(t, r.Raw)
		h.call(t, "PATCH", "/v1/games/cs2", admin, map[string]any{"config_schema": map[string]any{"type": "object"}}).requireStatus(t, http.StatusOK)
		h.call(t, "GET", "/v1/games/cs2/config-schema", "", nil, "If-None-Match", etag).requireStatus(t, http.StatusOK)
	})
}

func TestTournamentCreateAndRead(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	_, player := h.player(t, "pia")

	body := h.tournamentBody("cs2", "Spring Cup")
	h.call(t, "POST", "/v1/tournaments", "", body).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	h.call(t, "POST", "/v1/tournaments", player, body).requireProblem(t, http.StatusForbidden, "forbidden")
	r := h.call(t, "POST", "/v1/tournaments", org, body).requireStatus(t, http.StatusCreated)
	id, slug := r.Body["id"].(string), r.Body["slug"].(string)
	require.Equal(t, "draft", r.Body["status"])
	require.True(t, strings.HasPrefix(slug, "spring-cup-"), slug)
	require.Equal(t, []any{"published", "cancelled"}, r.Body["next_statuses"])
	require.Equal(t, map[string]any{"amount": float64(500), "currency": "EUR"}, r.Body["entry_fee"])
	require.Equal(t, "olga", r.Body["organizer"].(map[string]any)["handle"])

	// Drafts exist only for their organizer (and admins).
	h.call(t, "GET", "/v1/tournaments/"+id, "", nil).requireProblem(t, http.StatusNotFound, "not_found")
	h.call(t, "GET", "/v1/tournaments/"+id, player, nil).requireProblem(t, http.StatusNotFound, "not_found")
	h.call(t, "GET", "/v1/tournaments/"+slug, org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "GET", "/v1/tournaments/"+id, admin, nil).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+id+"/publish", org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "GET", "/v1/tournaments/"+slug, "", nil).requireStatus(t, http.StatusOK)

	t.Run("DetailIsOneRoundTrip", func(t *testing.T) {
		b := h.tournamentBody("cs2", "Big Detail")
		var sponsors, fields []map[string]any
		for i := 0; i < 10; i++ {
			sponsors = append(sponsors, map[string]any{"name": fmt.Sprintf("Sponsor %d", i), "url": "https://example.com/" + fmt.Sprint(i), "tier": "gold"})
			fields = append(fields, map[string]any{"key": fmt.Sprintf("q%d", i), "label": "Question", "type": "select", "required": true, "options": []string{"a", "b"}})
		}
		b["sponsors"], b["custom_fields"] = sponsors, fields
		id := h.call(t, "POST", "/v1/tournaments", org, b).requireStatus(t, http.StatusCreated).Body["id"].(string)
		h.call(t, "POST", "/v1/tournaments/"+id+"/publish", org, nil).requireStatus(t, http.StatusOK)
		var r response
		n := h.countQueries(func() { r = h.call(t, "GET", "/v1/tournaments/"+id, "", nil).requireStatus(t, http.StatusOK) })
		require.Equal(t, int64(1), n)
		require.Len(t, r.Body["sponsors"], 10)
		require.Len(t, r.Body["custom_fields"], 10)
		n = h.countQueries(func() { h.call(t, "GET", "/v1/tournaments/"+id, org, nil).requireStatus(t, http.StatusOK) })
		require.Equal(t, int64(2), n, "authenticate + detail")
	})

	for name, tc := range map[string]struct {
		change func(map[string]any)
		detail string
	}{
		"SettingsOutsideSchema": {func(b map[string]any) { b["game_settings"] = map[string]any{"best_of": 2} }, "/best_of"},
		"SettingsWrongType":     {func(b map[string]any) { b["game_settings"] = map[string]any{"best_of": 1, "map_pool": []any{1}} }, "/map_pool/0"},
		"SettingsMissingField":  {func(b map[string]any) { b["game_settings"] = map[string]any{} }, "best_of"},
		"UnknownGame":           {func(b map[string]any) { b["game"] = "chess" }, "Unknown game"},
		"RegistrationBackwards": {func(b map[string]any) { b["registration_closes_at"] = b["registration_opens_at"] }, "registration_opens_at"},
		"PrizesNotHundred":      {func(b map[string]any) { b["prize_distribution"] = []int{50, 30} }, "sums to 80"},
		"HalfACheckInWindow":    {func(b map[string]any) { delete(b, "check_in_closes_at") }, "go together"},
		"SelectWithoutOptions": {func(b map[string]any) {
			b["custom_fields"] = []map[string]any{{"key": "rank", "label": "Rank", "type": "select"}}
		}, "rank"},
		"DuplicateFieldKeys": {func(b map[string]any) {
			b["custom_fields"] = []map[string]any{{"key": "a", "label": "A", "type": "text"}, {"key": "a", "label": "B", "type": "text"}}
		}, "twice"},
		"SponsorURLNotHTTP": {func(b map[string]any) { b["sponsors"] = []map[string]any{{"name": "X", "url": "javascript:alert(1)"}} }, "http"},
		"CapacityTooLarge":  {func(b map[string]any) { b["capacity"] = 5000 }, ""},
		"UnknownFormat":     {func(b map[string]any) { b["format"] = "ladder" }, ""},
		"NegativeEntryFee":  {func(b map[string]any) { b["entry_fee"] = map[string]any{"amount": -1, "currency": "EUR"} }, ""},
		"UnknownField":      {func(b map[string]any) { b["organizer_id"] = "someone" }, ""},
	} {
		t.Run("Rejects"+name, func(t *testing.T) {
			b := h.tournamentBody("cs2", "Bad "+name)
			tc.change(b)
			r := h.call(t, "POST", "/v1/tournaments", org, b).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
			require.Contains(t, r.Body["detail"], tc.detail)
		})
	}
	t.Run("RejectsTakenSlug", func(t *testing.T) {
		b := h.tournamentBody("cs2", "Slugged")
		b["slug"] = slug
		h.call(t, "POST", "/v1/tournaments", org, b).requireProblem(t, http.StatusConflict, "conflict")
	})
}

// TestLifecycle tries every transition endpoint from every status: the legal ones move the
// tournament, the others answer 409 naming the allowed next statuses.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	legal := map[string][]string{
		"draft": {"published", "cancelled"}, "published": {"registration_open", "cancelled"},
		"registration_open": {"registration_closed", "cancelled"}, "registration_closed": {"check_in", "running", "cancelled"},
		"check_in": {"running", "cancelled"}, "running": {"completed", "cancelled"}, "completed": {}, "cancelled": {},
	}
	for _, from := range []string{"draft", "published", "registration_open", "registration_closed", "check_in", "running", "completed", "cancelled"} {
		for _, to := range []string{"published", "registration_open", "registration_closed", "check_in", "running", "completed", "cancelled"} {
			t.Run(from+"To"+to, func(t *testing.T) {
				id := h.driveTo(t, org, "cs2", from)
				switch {
				case from == "registration_closed" && to == "check_in":
					h.clock.Advance(2*time.Hour + 30*time.Minute) // into the check-in window
				case from == "check_in" && to == "running":
					h.clock.Advance(time.Hour) // check-in must be over
				}
				r := h.call(t, "POST", "/v1/tournaments/"+id+"/"+transitionTo[to], org, nil)
				switch {
				case from == "registration_closed" && to == "running":
					// Legal in the lifecycle, but this tournament has a check-in window to go through.
					r.requireProblem(t, http.StatusConflict, "conflict")
					require.Contains(t, r.Body["detail"], "check-in")
				case slices.Contains(legal[from], to):
					r.requireStatus(t, http.StatusOK)
					require.Equal(t, to, r.Body["status"])
				default:
					r.requireProblem(t, http.StatusConflict, "conflict")
					require.Contains(t, r.Body["detail"], "allowed next: ")
					for _, next := range legal[from] {
						require.Contains(t, r.Body["detail"], next)
					}
				}
			})
		}
	}

	t.Run("ClockRules", func(t *testing.T) {
		// A running start needs check-in to be over.
		id := h.driveTo(t, org, "cs2", "check_in")
		r := h.call(t, "POST", "/v1/tournaments/"+id+"/start", org, nil).requireProblem(t, http.StatusConflict, "conflict")
		require.Contains(t, r.Body["detail"], "close-check-in")
		// Registration cannot open once its close time has passed.
		id = h.driveTo(t, org, "cs2", "published")
		h.clock.Advance(2 * time.Hour)
		r = h.call(t, "POST", "/v1/tournaments/"+id+"/open-registration", org, nil).requireProblem(t, http.StatusConflict, "conflict")
		require.Contains(t, r.Body["detail"], "registration_closes_at")
	})
}

func TestTournamentOwnership(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	orgA := h.staff(t, "anna", "organizer")
	orgB := h.staff(t, "bert", "organizer")
	h.game(t, admin, "cs2")
	draft := h.createTournament(t, orgA, "cs2", "Anna Draft")
	listed := h.driveTo(t, orgA, "cs2", "published")

	// Another organizer cannot see A's draft at all, and may not touch A's listed one.
	h.call(t, "PATCH", "/v1/tournaments/"+draft, orgB, map[string]any{"name": "Mine now"}).requireProblem(t, http.StatusNotFound, "not_found")
	h.call(t, "DELETE", "/v1/tournaments/"+draft, orgB, nil).requireProblem(t, http.StatusNotFound, "not_found")
	h.call(t, "POST", "/v1/tournaments/"+draft+"/publish", orgB, nil).requireProblem(t, http.StatusNotFound, "not_found")
	h.call(t, "PATCH", "/v1/tournaments/"+listed, orgB, map[string]any{"name": "Mine now"}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "POST", "/v1/tournaments/"+listed+"/cancel", orgB, nil).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "GET", "/v1/tournaments/"+listed+"/health", orgB, nil).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "GET", "/v1/tournaments/"+draft+"/health", orgB, nil).requireProblem(t, http.StatusNotFound, "not_found")
	// Admins moderate any tournament.
	h.call(t, "PATCH", "/v1/tournaments/"+listed, admin, map[string]any{"name": "Moderated Cup"}).requireStatus(t, http.StatusOK)
	// The owner deletes a draft; a listed tournament is cancelled instead.
	h.call(t, "DELETE", "/v1/tournaments/"+listed, orgA, nil).requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "DELETE", "/v1/tournaments/"+draft, orgA, nil).requireStatus(t, http.StatusNoContent)
	h.call(t, "GET", "/v1/tournaments/"+draft, orgA, nil).requireProblem(t, http.StatusNotFound, "not_found")
}

func TestTournamentPatchRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)

	draft := h.createTournament(t, org, "cs2", "Patchable")
	r := h.call(t, "PATCH", "/v1/tournaments/"+draft, org, map[string]any{"entry_fee": map[string]any{"amount": 0, "currency": "EUR"},
		"format": "swiss", "game_settings": map[string]any{"best_of": 1}}).requireStatus(t, http.StatusOK)
	require.Equal(t, "swiss", r.Body["format"])
	r = h.call(t, "PATCH", "/v1/tournaments/"+draft, org, map[string]any{"game_settings": map[string]any{"best_of": 4}}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.Body["detail"], "/best_of")

	open := h.driveTo(t, org, "cs2", "registration_open")
	r = h.call(t, "PATCH", "/v1/tournaments/"+open, org, map[string]any{"entry_fee": map[string]any{"amount": 100, "currency": "EUR"}}).
		requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "entry_fee")
	h.call(t, "PATCH", "/v1/tournaments/"+open, org, map[string]any{"custom_fields": []any{}}).requireProblem(t, http.StatusConflict, "conflict")
	r = h.call(t, "PATCH", "/v1/tournaments/"+open, org, map[string]any{"name": "Renamed While Open", "capacity": 32}).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(32), r.Body["capacity"])

	// Capacity never drops below the slots registrations already hold.
	_, err := h.pool.Exec(context.Background(), "UPDATE tournament_slots SET taken = 20 WHERE tournament_id = $1", open)
	require.NoError(t, err)
	r = h.call(t, "PATCH", "/v1/tournaments/"+open, org, map[string]any{"capacity": 16}).requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "20")

	checkIn := h.driveTo(t, org, "cs2", "check_in")
	r = h.call(t, "PATCH", "/v1/tournaments/"+checkIn, org, map[string]any{"check_in_closes_at": h.clock.Now().Add(5 * time.Hour).Format(time.RFC3339)}).
		requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "check_in_closes_at")

	running := h.driveTo(t, org, "cs2", "running")
	h.call(t, "PATCH", "/v1/tournaments/"+running, org, map[string]any{"starts_at": h.clock.Now().Format(time.RFC3339)}).
		requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "PATCH", "/v1/tournaments/"+running, org, map[string]any{"rules": "Be nice."}).requireStatus(t, http.StatusOK)
	done := h.driveTo(t, org, "cs2", "completed")
	h.call(t, "PATCH", "/v1/tournaments/"+done, org, map[string]any{"name": "Too Late"}).requireProblem(t, http.StatusConflict, "conflict")
}

func TestDiscoveryOverHTTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	h.game(t, admin, "dota2")
	h.createTournament(t, org, "cs2", "Hidden Draft")
	for i := 0; i < 3; i++ {
		h.driveTo(t, org, "cs2", "registration_open")
		h.driveTo(t, org, "dota2", "published")
	}

	r := h.call(t, "GET", "/v1/tournaments?limit=100", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, r.Body["items"], 6, "drafts are not listed")
	item := r.Body["items"].([]any)[0].(map[string]any)
	require.Contains(t, item, "game")
	require.Equal(t, "olga", item["organizer"].(map[string]any)["handle"])
	require.Equal(t, float64(16), item["capacity"])
	require.Equal(t, float64(0), item["registered"])

	r = h.call(t, "GET", "/v1/tournaments?game=cs2&status=registration_open", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, r.Body["items"], 3)
	r = h.call(t, "GET", "/v1/tournaments?game=dota2&status=registration_open", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, r.Body["items"], 0)
	r = h.call(t, "GET", "/v1/tournaments?limit=4", "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, r.Body["items"], 4)
	r = h.call(t, "GET", "/v1/tournaments?limit=4&cursor="+r.Body["next_cursor"].(string), "", nil).requireStatus(t, http.StatusOK)
	require.Len(t, r.Body["items"], 2)
	require.NotContains(t, r.Body, "next_cursor")

	h.call(t, "GET", "/v1/tournaments?limit=101", "", nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call(t, "GET", "/v1/tournaments?limit=0", "", nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call(t, "GET", "/v1/tournaments?status=draft", "", nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call(t, "GET", "/v1/tournaments?cursor=%7Bnot-ours", "", nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")

	t.Run("ETagAndInvalidation", func(t *testing.T) {
		r := h.call(t, "GET", "/v1/tournaments?game=cs2", "", nil).requireStatus(t, http.StatusOK)
		etag := r.Header.Get("ETag")
		require.NotEmpty(t, etag)
		require.Equal(t, "public, max-age=10", r.Header.Get("Cache-Control"))
		h.call(t, "GET", "/v1/tournaments?game=cs2", "", nil, "If-None-Match", etag).requireStatus(t, http.StatusNotModified)
		// A signed-in caller gets no shared-cache headers.
		signed := h.call(t, "GET", "/v1/tournaments?game=cs2", org, nil).requireStatus(t, http.StatusOK)
		require.Empty(t, signed.Header.Get("ETag"))
		// A write is visible at once, with a new ETag.
		id := r.Body["items"].([]any)[0].(map[string]any)["id"].(string)
		h.call(t, "PATCH", "/v1/tournaments/"+id, org, map[string]any{"name": "Fresh Name"}).requireStatus(t, http.StatusOK)
		r = h.call(t, "GET", "/v1/tournaments?game=cs2", "", nil, "If-None-Match", etag).requireStatus(t, http.StatusOK)
		require.Equal(t, "Fresh Name", r.Body["items"].([]any)[0].(map[string]any)["name"])
		require.NotEqual(t, etag, r.Header.Get("ETag"))
	})
	t.Run("SameRoundTripsForOneOrHundred", func(t *testing.T) {
		for _, limit := range []int{1, 100} {
			n := h.countQueries(func() {
				h.call(t, "GET", fmt.Sprintf("/v1/tournaments?participant_type=solo&limit=%d", limit), "", nil).requireStatus(t, http.StatusOK)
			})
			require.Equal(t, int64(1), n, "limit %d", limit)
		}
	})
}
