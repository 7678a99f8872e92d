package tests

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/internal/app"
)

// cutProxy forwards TCP connections to a Postgres server until cut, when it refuses new
// ones and drops those it carries: the database, as Arena sees it, goes away.
type cutProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &cutProxy{ln: ln}
	t.Cleanup(p.cut)
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, client, server)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(server, client); server.Close() }()
			go func() { _, _ = io.Copy(client, server); client.Close() }()
		}
	}()
	return p
}

func (p *cutProxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// proxiedApp serves the app on a fresh database reached through a proxy the test cuts.
func proxiedApp(t *testing.T, configure func(*app.Config)) (*app.App, *cutProxy, app.Config) {
	u, err := url.Parse(dbtest.URL(t))
	require.NoError(t, err)
	proxy := newCutProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	// Serving holds four LISTEN connections and River a few more, as arena serve does.
	pool, err := db.Open(context.Background(), u.String(), 16, nil)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	cfg := app.DefaultConfig()
	if configure != nil {
		configure(&cfg)
	}
	return app.New(pool, cfg, slog.New(slog.DiscardHandler)), proxy, cfg
}

// TestDatabaseDownIsUnavailable: with the database gone, readiness and every endpoint that
// needs it answer 503 unavailable — a condition to retry, not an internal error.
func TestDatabaseDownIsUnavailable(t *testing.T) {
	t.Parallel()
	a, proxy, _ := proxiedApp(t, nil)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	h := &harness{url: srv.URL}
	h.call(t, "GET", "/readyz", "", nil).requireStatus(t, http.StatusOK)

	proxy.cut()
	for _, path := range []string{"/readyz", "/v1/tournaments", "/v1/me", "/v1/games/cs2"} {
		got := h.call(t, "GET", path, "not-a-session", nil).requireStatus(t, http.StatusServiceUnavailable)
		require.Equal(t, "unavailable", got.Body["code"], path)
		require.NotContains(t, got.Body["detail"], "dial", path)
	}
	h.call(t, "GET", "/healthz", "", nil).requireStatus(t, http.StatusOK)
}

// TestReadinessFailsWhileDraining: on shutdown /readyz answers 503 for the drain delay while
// the listener still accepts, then the server stops.
func TestReadinessFailsWhileDraining(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	a, _, _ := proxiedApp(t, func(c *app.Config) { c.Addr, c.DrainDelay, c.ShutdownTimeout = addr, 2*time.Second, 5*time.Second })
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx) }()
	h := &harness{url: "http://" + addr}
	readiness := func() int {
		r, err := h.request("GET", "/readyz", "", nil)
		if err != nil {
			return 0 // the listener is closed
		}
		return r.Status
	}
	require.Eventually(t, func() bool { return readiness() == http.StatusOK }, 30*time.Second, 20*time.Millisecond)

	stop()
	require.Eventually(t, func() bool { return readiness() == http.StatusServiceUnavailable }, 2*time.Second, 10*time.Millisecond,
		"readiness fails while the listener is still open")
	require.Eventually(t, func() bool { return readiness() == 0 }, 30*time.Second, 50*time.Millisecond)
	select {
	case err := <-served:
		require.True(t, err == nil || errors.Is(err, context.Canceled), "%v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Serve never returned")
	}
}
