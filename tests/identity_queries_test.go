package tests

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestIdentityQueryCounts proves the identity reads cost a fixed number of round trips
// whatever the size of what they return (no N+1).
func TestIdentityQueryCounts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, captain := h.player(t, "lea")
	small := h.call(t, "POST", "/v1/teams", captain, map[string]any{"name": "Solo"}).requireStatus(t, http.StatusCreated).Body["id"].(string)
	big := h.call(t, "POST", "/v1/teams", captain, map[string]any{"name": "Full House", "max_members": 32}).requireStatus(t, http.StatusCreated).Body["id"].(string)
	_, invitee := h.player(t, "moe")
	for i := 0; i < 31; i++ {
		handle := fmt.Sprintf("p%02d", i)
		_, token := h.player(t, handle)
		inv := h.call(t, "POST", "/v1/teams/"+big+"/invites", captain, map[string]any{"handle": handle}).requireStatus(t, http.StatusCreated)
		h.call(t, "POST", "/v1/team-invites/"+inv.Body["id"].(string)+"/accept", token, nil).requireStatus(t, http.StatusOK)
		team := h.call(t, "POST", "/v1/teams", token, map[string]any{"name": "Team " + handle}).requireStatus(t, http.StatusCreated)
		h.call(t, "POST", "/v1/teams/"+team.Body["id"].(string)+"/invites", token, map[string]any{"handle": "moe"}).requireStatus(t, http.StatusCreated)
	}

	for _, tc := range []struct {
		name, path, token string
		items             int
		queries           int64
	}{
		{"TeamOf1", "/v1/teams/" + small, "", 1, 1},
		{"TeamOf32", "/v1/teams/" + big, "", 32, 1},
		{"MyInvites1", "/v1/me/team-invites?limit=1", invitee, 1, 2},     // authenticate + list
		{"MyInvites31", "/v1/me/team-invites?limit=100", invitee, 31, 2}, // authenticate + list
		{"Me", "/v1/me", invitee, 0, 2},                                  // authenticate + user
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r response
			n := h.countQueries(func() { r = h.call(t, "GET", tc.path, tc.token, nil).requireStatus(t, http.StatusOK) })
			require.Equal(t, tc.queries, n)
			if tc.items > 0 {
				list := r.Body["members"]
				if list == nil {
					list = r.Body["items"]
				}
				require.Len(t, list, tc.items)
			}
		})
	}
}
