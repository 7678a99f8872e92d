package tests

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInternalErrorsRevealNothing breaks the database under a running app: the client
// gets a bare 500 problem, and the log keeps the cause under the same request id.
func TestInternalErrorsRevealNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, token := h.player(t, "nia")
	_, err := h.pool.Exec(context.Background(), "DROP TABLE team_invites")
	require.NoError(t, err)

	r := h.call(t, "GET", "/v1/me/team-invites", token, nil).requireProblem(t, http.StatusInternalServerError, "internal")
	require.Equal(t, map[string]any{"title": "Internal Server Error", "status": float64(500), "code": "internal"}, r.Body)
	require.NotContains(t, string(r.Raw), "team_invites")

	id := r.Header.Get("X-Request-Id")
	require.NotEmpty(t, id)
	var logged bool
	for _, line := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(line, `"msg":"internal error"`) && strings.Contains(line, `"request_id":"`+id+`"`) {
			require.Contains(t, line, "team_invites", "the log keeps the cause")
			logged = true
		}
	}
	require.True(t, logged, "no internal-error log line for request %s:\n%s", id, h.logs.String())
}
