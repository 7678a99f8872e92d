package tests

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStaffMayRunMatchesNothingElse: every operation on a running tournament, tried by
// each kind of caller. Its organizer and admins may do all; its staff may run the matches
// (decide, correct, forfeit, disqualify, schedule, check in, read report histories, health
// and the staff list) and nothing about money or settings; staff of another tournament,
// an entrant and anonymous callers may do none. Allowed callers are sent requests the
// operation refuses for their content or the tournament's state (or that change nothing
// lasting), so every cell of the matrix runs against the same tournament.
func TestStaffMayRunMatchesNothingElse(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	other := h.driveTo(t, org, "cs2", "published")
	staffID, staff := h.player(t, "stella")
	otherID, otherStaff := h.player(t, "oscar")
	spareID := h.register(t, "spare")
	r := h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/"+staffID, org, nil).requireStatus(t, http.StatusCreated)
	require.Equal(t, "stella", r.Body["user"].(map[string]any)["handle"])
	h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/"+staffID, org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "PUT", "/v1/tournaments/"+other+"/staff/"+otherID, org, nil).requireStatus(t, http.StatusCreated)

	semis := h.readyMatches(t, tid)
	decided, open := semis[0]["id"].(string), semis[1]["id"].(string)
	h.call(t, "POST", "/v1/matches/"+decided+"/resolve", org, map[string]any{"score_a": 2, "score_b": 0}).requireStatus(t, http.StatusNoContent)
	entrant := reporters[sideName(semis[1], "a")]
	var reg string // someone else's entry than the entrant's
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT r.id FROM registrations r JOIN users u ON u.id = r.registered_by
		WHERE r.tournament_id = $1 AND u.handle <> $2 LIMIT 1`, tid, sideName(semis[1], "a")).Scan(&reg))

	callers := map[string]string{"organizer": org, "admin": admin, "staff": staff, "other_staff": otherStaff, "entrant": entrant, "anonymous": ""}
	type op struct {
		name    string
		staff   bool // the tournament's staff may
		allowed int  // the answer an allowed caller gets
		hidden  bool // a caller who may not gets 404: the object is not theirs to know
		call    func(token string) response
	}
	post := func(path string, body any) func(string) response {
		return func(token string) response { return h.call(t, "POST", path, token, body) }
	}
	ops := []op{
		{"resolve", true, http.StatusUnprocessableEntity, false, post("/v1/matches/"+open+"/resolve", map[string]any{"score_a": 2, "score_b": 2})},
		{"override", true, http.StatusConflict, false, post("/v1/matches/"+open+"/override", map[string]any{"score_a": 2, "score_b": 0})},
		{"forfeit", true, http.StatusConflict, false, post("/v1/matches/"+decided+"/forfeit", map[string]any{"side": "a"})},
		{"disqualify", true, http.StatusConflict, false, post("/v1/matches/"+decided+"/disqualify", map[string]any{"side": "a"})},
		{"schedule-match", true, http.StatusConflict, false, func(token string) response {
			return h.call(t, "PATCH", "/v1/matches/"+decided, token, map[string]any{"scheduled_at": nil})
		}},
		{"schedule-rounds", true, http.StatusUnprocessableEntity, false, post("/v1/tournaments/"+tid+"/schedule",
			map[string]any{"rounds": []map[string]any{{"round": 9, "starts_at": h.clock.Now()}}})},
		{"check-in", true, http.StatusConflict, true, post("/v1/registrations/"+reg+"/check-in", nil)},
		{"report-history", true, http.StatusOK, false, func(token string) response {
			return h.call(t, "GET", "/v1/matches/"+decided+"/reports", token, nil)
		}},
		{"health", true, http.StatusOK, false, func(token string) response {
			return h.call(t, "GET", "/v1/tournaments/"+tid+"/health", token, nil)
		}},
		{"list-staff", true, http.StatusOK, false, func(token string) response {
			return h.call(t, "GET", "/v1/tournaments/"+tid+"/staff", token, nil)
		}},
		{"put-staff", false, http.StatusOK, false, func(token string) response {
			return h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/"+staffID, token, nil)
		}},
		{"remove-staff", false, http.StatusNoContent, false, func(token string) response {
			return h.call(t, "DELETE", "/v1/tournaments/"+tid+"/staff/"+spareID, token, nil)
		}},
		{"settings", false, http.StatusOK, false, func(token string) response {
			return h.call(t, "PATCH", "/v1/tournaments/"+tid, token, map[string]any{"report_window": 45})
		}},
		{"lifecycle", false, http.StatusConflict, false, post("/v1/tournaments/"+tid+"/open-registration", nil)},
		{"start", false, http.StatusConflict, false, post("/v1/tournaments/"+tid+"/start", nil)},
		{"close-check-in", false, http.StatusConflict, false, post("/v1/tournaments/"+tid+"/close-check-in", nil)},
		{"remove-entry", false, http.StatusConflict, true, post("/v1/registrations/"+reg+"/remove", map[string]any{"refund": true, "reason": "x"})},
		{"swap-seeds", false, http.StatusConflict, false, post("/v1/tournaments/"+tid+"/bracket/swap", map[string]any{"seeds": []int{0, 1}})},
		{"delete-bracket", false, http.StatusConflict, false, func(token string) response {
			return h.call(t, "DELETE", "/v1/tournaments/"+tid+"/bracket", token, nil)
		}},
	}
	for _, o := range ops {
		for kind, token := range callers {
			t.Run(o.name+"/"+kind, func(t *testing.T) {
				r := o.call(token)
				may := kind == "organizer" || kind == "admin" || (kind == "staff" && o.staff)
				switch {
				case may:
					require.Equal(t, o.allowed, r.Status, "body: %s", r.Raw)
				case token == "":
					r.requireProblem(t, http.StatusUnauthorized, "unauthorized")
				case o.hidden:
					require.Contains(t, []int{http.StatusForbidden, http.StatusNotFound}, r.Status, "body: %s", r.Raw)
				default:
					r.requireProblem(t, http.StatusForbidden, "forbidden")
				}
			})
		}
	}

	t.Run("StaffDoNotDecideTheirOwnMatch", func(t *testing.T) {
		var player string
		require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE handle = $1`, sideName(semis[1], "a")).Scan(&player))
		h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/"+player, org, nil).requireStatus(t, http.StatusCreated)
		r := h.call(t, "POST", "/v1/matches/"+open+"/resolve", entrant, map[string]any{"score_a": 2, "score_b": 0}).
			requireProblem(t, http.StatusForbidden, "forbidden")
		require.Contains(t, r.Body["detail"], "play in")
		h.call(t, "GET", "/v1/tournaments/"+tid+"/health", entrant, nil).requireStatus(t, http.StatusOK) // still staff elsewhere
		h.call(t, "DELETE", "/v1/tournaments/"+tid+"/staff/"+player, org, nil).requireStatus(t, http.StatusNoContent)
	})
	t.Run("StaffComeAndGo", func(t *testing.T) {
		list := func() []string {
			var handles []string
			for _, it := range h.call(t, "GET", "/v1/tournaments/"+tid+"/staff", org, nil).requireStatus(t, http.StatusOK).Body["items"].([]any) {
				handles = append(handles, it.(map[string]any)["user"].(map[string]any)["handle"].(string))
			}
			return handles
		}
		h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/"+spareID, org, nil).requireStatus(t, http.StatusCreated)
		require.True(t, slices.Contains(list(), "spare"))
		h.call(t, "DELETE", "/v1/tournaments/"+tid+"/staff/"+spareID, org, nil).requireStatus(t, http.StatusNoContent)
		require.False(t, slices.Contains(list(), "spare"))
		h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/01900000-0000-7000-8000-000000000000", org, nil).
			requireProblem(t, http.StatusNotFound, "not_found")
		h.call(t, "PUT", "/v1/tournaments/"+tid+"/staff/"+h.organizerID(t, tid), org, nil).
			requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	})
}

// organizerID is a tournament's organizer's id as the API shows it.
func (h *harness) organizerID(t testingT, tid string) string {
	t.Helper()
	return h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).requireStatus(t, http.StatusOK).Body["organizer"].(map[string]any)["id"].(string)
}
