package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/internal/app"
	"github.com/arenaesports/arena/modules/identity"
)

func TestMain(m *testing.M) {
	if url := os.Getenv(processEnv); url != "" {
		os.Exit(arenaProcess(url, os.Getenv(processAddrEnv))) // started as Arena by crash_test.go
	}
	dbtest.Main(m)
}

// testingT is what the harness helpers need of the test they fail: *testing.T,
// *testing.B and rapid's *rapid.T all provide it. Every helper takes the caller's, so a
// failure is reported by the (sub)test that made the call.
type testingT interface {
	require.TestingT
	Helper()
}

// clock is a settable time source for tests of expiry and lockout.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now is the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// logBuffer is a goroutine-safe sink for the app's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// harness is the whole application (every module, the middleware and problem mapping)
// served in-process on a fresh database, with an injected clock.
type harness struct {
	url  string
	app  *app.App
	pool *pgxpool.Pool
	// queries counts the app's round trips to Postgres, for N+1 tests.
	queries *dbtest.Counter
	clock   *clock
	logs    *logBuffer // the app's JSON log lines

	mu  sync.Mutex
	seq int // makes names unique across a test's helpers
}

// newHarness builds the app with the default configuration as changed by configure. The
// clock starts at the real time, so that jobs the app schedules by it fall due in River's
// (real) time as they would in production, and stands still until the test advances it.
func newHarness(t testing.TB, configure func(*app.Config)) *harness {
	t.Helper()
	cfg := app.DefaultConfig()
	clk := &clock{now: time.Now().UTC().Truncate(time.Second)}
	cfg.Now = clk.Now
	cfg.AuthRateLimit = 0 // tests that need the limiter turn it on
	if configure != nil {
		configure(&cfg)
	}
	pool, counter := dbtest.CountingPool(t)
	logs := &logBuffer{}
	a := app.New(pool, cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return &harness{url: srv.URL, app: a, pool: pool, queries: counter, clock: clk, logs: logs}
}

// next is a number no earlier call in this harness returned, for unique names.
func (h *harness) next() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	return h.seq
}

// response is a decoded answer: status, headers and JSON body (object or nil).
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// request sends body (JSON-encoded unless nil) with an optional bearer token and headers
// given as name, value pairs. It fails nothing, so goroutines other than the test's may
// use it; tests use call.
func (h *harness) request(method, path, token string, body any, headers ...string) (response, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return response{}, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.url+path, r)
	if err != nil {
		return response{}, err
	}
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
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	out := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			return out, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return out, nil
}

// call is request that fails t when the request cannot be made or its answer read.
func (h *harness) call(t testingT, method, path, token string, body any, headers ...string) response {
	t.Helper()
	r, err := h.request(method, path, token, body, headers...)
	require.NoError(t, err)
	return r
}

// concurrently makes the requests send(0) … send(n-1) at once, each on its own goroutine,
// and returns their answers in order. It fails t, on t's goroutine, if a request could
// not be made.
func concurrently(t testingT, n int, send func(i int) (response, error)) []response {
	t.Helper()
	out := make([]response, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = send(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	return out
}

// requireStatus fails with the body when the status is not want.
func (r response) requireStatus(t testingT, want int) response {
	t.Helper()
	require.Equal(t, want, r.Status, "body: %s", r.Raw)
	return r
}

// requireProblem checks a problem response's status and code.
func (r response) requireProblem(t testingT, status int, code string) response {
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

// startStreams runs the app's event stream hub, as Serve does, until the test ends. Only
// tests of the streams start it: its polling would count in other tests' round trips.
func (h *harness) startStreams(t testing.TB) {
	ctx, stop := context.WithCancel(context.Background())
	go h.app.Events.Listen(ctx)
	t.Cleanup(stop)
}

// startWorkers works the app's River jobs, as `arena serve` does, until the test ends.
func (h *harness) startWorkers(t testing.TB) *dbtest.Workers {
	t.Helper()
	return dbtest.StartWorkers(t, h.pool, h.app.Workers)
}

// countQueries returns how many round trips fn made to Postgres.
func (h *harness) countQueries(fn func()) int64 {
	h.queries.Reset()
	fn()
	return h.queries.Count()
}

// register creates a player and returns its id.
func (h *harness) register(t testingT, handle string) string {
	t.Helper()
	r := h.call(t, "POST", "/v1/auth/register", "", map[string]any{
		"email": handle + "@example.com", "handle": handle, "display_name": "Player " + handle, "password": "correct horse " + handle,
	}).requireStatus(t, http.StatusCreated)
	return r.Body["id"].(string)
}

// login returns a session token for a user made by register or staff.
func (h *harness) login(t testingT, handle string) string {
	t.Helper()
	r := h.call(t, "POST", "/v1/auth/login", "", map[string]any{"login": handle, "password": "correct horse " + handle}).
		requireStatus(t, http.StatusOK)
	return r.Body["token"].(string)
}

// player registers and logs in a user, returning its id and token.
func (h *harness) player(t testingT, handle string) (string, string) {
	t.Helper()
	id := h.register(t, handle)
	return id, h.login(t, handle)
}

// staff creates a user with extra roles straight through the identity service (as
// `arena user create` does) and returns its token.
func (h *harness) staff(t testingT, handle string, roles ...string) string {
	t.Helper()
	_, err := h.app.Identity.CreateUser(context.Background(), identity.NewUser{Email: handle + "@example.com", Handle: handle,
		DisplayName: strings.ToUpper(handle), Password: "correct horse " + handle}, roles)
	require.NoError(t, err)
	return h.login(t, handle)
}
