package tests

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/internal/app"
	"github.com/arenaesports/arena/modules/events"
)

// crashRetries is the retry schedule of the crash test's worker processes: many short waits,
// so that a receiver failing half the time never makes a message run out of retries.
var crashRetries = slices.Repeat([]time.Duration{5 * time.Millisecond}, 40)

// TestWebhooksSurviveAKilledWorker: a receiver fails half its requests at random while 300
// events are delivered by a worker process, which is SIGKILLed mid-run; a second worker
// finishes. Every event arrives, first arrivals in log order; a repeat carries the same
// webhook-id and body as the first.
func TestWebhooksSurviveAKilledWorker(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts worker processes and waits for River's rescue: not in -short")
	}
	h := newHarness(t, func(c *app.Config) { c.WebhookAllowPrivate = true })
	admin := h.staff(t, "root", "admin")
	rc := newReceiver(t)
	var mu sync.Mutex
	rnd := rand.New(rand.NewPCG(1, 2))
	rc.answer = func(received) int {
		mu.Lock()
		defer mu.Unlock()
		if rnd.IntN(2) == 0 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	}
	h.subscribe(t, admin, rc, map[string]any{"event_types": []string{events.GameUpdated}})
	const n = 300
	first := h.startProcess(t, "", processWebhooksEnv+"=1")
	require.NoError(t, h.appendGames("crash", 4, n))
	h.awaitCrossProcess(t, "a hundred deliveries", func() bool { ids, _ := rc.delivered(t); return len(ids) >= 100 })
	require.NoError(t, first.Process.Kill())
	_, _ = first.Process.Wait()
	killed := time.Now()
	h.startProcess(t, "", processWebhooksEnv+"=1")
	h.awaitCrossProcess(t, "every delivery", func() bool { ids, _ := rc.delivered(t); return len(ids) == n })
	t.Logf("all %d delivered %s after the SIGKILL, in %d requests", n, time.Since(killed).Round(100*time.Millisecond), len(rc.requests()))

	var want []string
	for _, line := range h.feedOf(t) {
		want = append(want, strings.Fields(line)[0]) // the cursor
	}
	ids, _ := rc.delivered(t)
	require.Equal(t, want, ids, "every event, first arrivals in log order")
	bodies := map[string]string{}
	for _, r := range rc.requests() {
		require.True(t, r.verified)
		if b, seen := bodies[r.id]; seen {
			require.Equal(t, b, string(r.body), "a repeat is the same message")
		}
		bodies[r.id] = string(r.body)
		var m struct {
			Data events.LoggedEvent `json:"data"`
		}
		require.NoError(t, json.Unmarshal(r.body, &m))
		require.Equal(t, r.id, m.Data.Cursor)
	}
}
