package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// lockedBuffer is a goroutine-safe log sink.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunServesAndShutsDown runs the real program on a free port against a fresh database,
// waits for readiness, checks problem responses, and shuts it down with the context.
func TestRunServesAndShutsDown(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"DATABASE_URL":     dbtest.URL(t),
		"ARENA_ADDR":       "127.0.0.1:0",
		"ARENA_LOG_FORMAT": "json",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"arena", "serve"}, func(k string) string { return env[k] }, nil, io.Discard, logs)
	}()

	base := waitForListen(t, logs, done)
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 30*time.Second, 20*time.Millisecond)

	t.Run("UnknownPathIsProblem", func(t *testing.T) {
		resp, err := http.Get(base + "/v1/no-such-thing")
		require.NoError(t, err)
		p := decodeProblem(t, resp)
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Equal(t, "not_found", p["code"])
		require.NotEmpty(t, resp.Header.Get("X-Request-Id"))
	})
	t.Run("WrongMethodIsProblem", func(t *testing.T) {
		resp, err := http.Post(base+"/readyz", "application/json", strings.NewReader("{}"))
		require.NoError(t, err)
		p := decodeProblem(t, resp)
		require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
		require.Equal(t, "invalid", p["code"])
		require.Contains(t, resp.Header.Get("Allow"), "GET")
	})
	t.Run("OversizedBodyIsProblem", func(t *testing.T) {
		body := `{"email":"x@y.z","handle":"abc","display_name":"` + strings.Repeat("a", 2<<20) + `","password":"12345678"}`
		resp, err := http.Post(base+"/v1/auth/register", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		p := decodeProblem(t, resp)
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		require.Equal(t, "invalid", p["code"])
	})
	t.Run("ServesCommittedOpenAPI", func(t *testing.T) {
		resp, err := http.Get(base + "/openapi.yaml")
		require.NoError(t, err)
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		want, err := os.ReadFile("../../openapi/openapi.yaml")
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	})

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	require.Contains(t, logs.String(), `"msg":"River client stopped"`)
}

// waitForListen reads the address from the "http server listening" log line.
func waitForListen(t *testing.T, logs *lockedBuffer, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("run exited early: %v\n%s", err, logs.String())
		default:
		}
		sc := bufio.NewScanner(strings.NewReader(logs.String()))
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "http server listening" {
				return "http://" + line.Addr
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("server never listened:\n%s", logs.String())
	return ""
}

func decodeProblem(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	require.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	var p map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
	require.Equal(t, float64(resp.StatusCode), p["status"])
	return p
}
