package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/internal/app"
)

// clock is a settable time source for tests of expiry and lockout.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// harness is the whole application (every module, the middleware and problem mapping)
// served in-process on a fresh database, with an injected clock.
type harness struct {
	t    testing.TB
	url  string
	app  *app.App
	pool *pgxpool.Pool
	// queries counts the app's round trips to Postgres, for N+1 tests.
	queries *dbtest.Counter
	clock   *clock
	logs    *lockedBuffer // the app's JSON log lines
	seq     int           // makes names unique across a test's helpers
}

// newHarness builds the app with the default configuration as changed by configure.
func newHarness(t testing.TB, configure func(*app.Config)) *harness {
	t.Helper()
	cfg := app.DefaultConfig()
	clk := &clock{now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	cfg.Now = clk.Now
	cfg.AuthRateLimit = 0 // tests that need the limiter turn it on
	if configure != nil {
		configure(&cfg)
	}
	pool, counter := dbtest.CountingPool(t)
	logs := &lockedBuffer{}
	a := app.New(pool, cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return &harness{t: t, url: srv.URL, app: a, pool: pool, queries: counter, clock: clk, logs: logs}
}

// response is a decoded answer: status, headers and JSON body (object or nil).
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// call sends body (JSON-encoded unless nil) with an optional bearer token and headers
// given as name, value pairs.
func (h *harness) call(method, path, token string, body any, headers ...string) response {
	h.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(h.t, err)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.url+path, r)
	require.NoError(h.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	out := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		require.NoError(h.t, json.Unmarshal(raw, &out.Body))
	}
	return out
}

// requireStatus fails with the body when the status is not want.
func (r response) requireStatus(t testing.TB, want int) response {
	t.Helper()
	require.Equal(t, want, r.Status, "body: %s", r.Raw)
	return r
}

// requireProblem checks a problem response's status and code.
func (r response) requireProblem(t testing.TB, status int, code string) response {
	t.Helper()
	r.requireStatus(t, status)
	require.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
	require.Equal(t, code, r.Body["code"], "body: %s", r.Raw)
	return r
}

// locations lists the field paths of a validation problem.
func (r response) locations() []string {
	var out []string
	errs, _ := r.Body["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			loc, _ := m["location"].(string)
			out = append(out, loc)
		}
	}
	return out
}

// startWorkers works the app's River jobs until the test ends, as `arena serve` does.
func (h *harness) startWorkers() {
	h.t.Helper()
	c, err := river.NewClient(riverpgxv5.New(h.pool), &river.Config{Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers: h.app.Workers, FetchCooldown: 20 * time.Millisecond, FetchPollInterval: 50 * time.Millisecond, TestOnly: true})
	require.NoError(h.t, err)
	require.NoError(h.t, c.Start(context.Background()))
	h.t.Cleanup(func() { require.NoError(h.t, c.Stop(context.Background())) })
}

// countQueries returns how many round trips fn made to Postgres.
func (h *harness) countQueries(fn func()) int64 {
	h.queries.Reset()
	fn()
	return h.queries.Count()
}

// register creates a player and returns its id.
func (h *harness) register(handle string) string {
	h.t.Helper()
	r := h.call("POST", "/v1/auth/register", "", map[string]any{
		"email": handle + "@example.com", "handle": handle, "display_name": "Player " + handle, "password": "correct horse " + handle,
	}).requireStatus(h.t, http.StatusCreated)
	return r.Body["id"].(string)
}

// login returns a session token for a user made by register.
func (h *harness) login(handle string) string {
	h.t.Helper()
	r := h.call("POST", "/v1/auth/login", "", map[string]any{"login": handle, "password": "correct horse " + handle}).
		requireStatus(h.t, http.StatusOK)
	return r.Body["token"].(string)
}

// player registers and logs in a user, returning its id and token.
func (h *harness) player(handle string) (string, string) {
	h.t.Helper()
	id := h.register(handle)
	return id, h.login(handle)
}
