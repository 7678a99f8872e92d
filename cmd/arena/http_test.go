package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInternalErrorsRevealNothing breaks the database under a running app: the client
// gets a bare 500 problem, and the log keeps the cause under the same request id.
func TestInternalErrorsRevealNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, token := h.player("nia")
	_, err := h.pool.Exec(context.Background(), "DROP TABLE team_invites")
	require.NoError(t, err)

	r := h.call("GET", "/v1/me/team-invites", token, nil).requireProblem(t, http.StatusInternalServerError, "internal")
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

func TestPanicsBecomeProblems(t *testing.T) {
	t.Parallel()
	logs := &lockedBuffer{}
	handler := middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
		slog.New(slog.NewJSONHandler(logs, nil)), nil)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("GET", "/anything", nil))
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	require.NotContains(t, rec.Body.String(), "boom")
	require.Contains(t, logs.String(), `"panic":"boom"`)
	require.Contains(t, logs.String(), `"status":500`)
}

func TestRequestIDIsKeptOnlyWhenPlain(t *testing.T) {
	t.Parallel()
	handler := middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	for given, kept := range map[string]bool{"abc-123_X": true, "bad id\nforged=1": false, strings.Repeat("a", 65): false} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("X-Request-Id", given)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		got := rec.Header().Get("X-Request-Id")
		require.NotEmpty(t, got)
		require.Equal(t, kept, got == given, "given %q, got %q", given, got)
	}
}

// TestWritesRejectUnknownFields: no write accepts a field it does not declare, so a client
// cannot set what it must not (roles at registration, a captain on a team, …).
func TestWritesRejectUnknownFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, token := h.player("ola")
	for _, tc := range []struct{ method, path string }{
		{"POST", "/v1/auth/register"},
		{"POST", "/v1/auth/login"},
		{"PUT", "/v1/admin/users/01900000-0000-7000-8000-000000000000/roles"},
		{"POST", "/v1/teams"},
		{"POST", "/v1/teams/01900000-0000-7000-8000-000000000000/invites"},
	} {
		r := h.call(tc.method, tc.path, token, map[string]any{"sneaky": true}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		require.Contains(t, r.locations(), "body.sneaky", "%s %s", tc.method, tc.path)
	}
}
