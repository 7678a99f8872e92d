package app

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPanicsBecomeProblems(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer // the handler runs on this goroutine
	handler := middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
		slog.New(slog.NewJSONHandler(&logs, nil)), nil, nil)
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
	handler := middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), slog.New(slog.NewTextHandler(io.Discard, nil)), nil, nil)
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
