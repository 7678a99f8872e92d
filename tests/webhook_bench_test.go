package tests

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/modules/events"
)

// BenchmarkWebhookDeliveries: 250 events delivered to each of four endpoints (1 000
// signed deliveries) by the in-process dispatcher and River workers, timed from the first
// append to the last delivery; then again with a fifth endpoint whose receiver sleeps 5 s
// on every request. Baseline, in the same run: the same 1 000 bodies POSTed to the same
// receiver by plain net/http, four clients at once (one per endpoint), one request after
// another — the rate of the receiver and the loopback themselves.
func BenchmarkWebhookDeliveries(b *testing.B) {
	const endpoints, n = 4, 250
	var arena, withSlow, plain time.Duration
	for range b.N {
		b.StopTimer()
		h := webhookHarness(b)
		admin := h.staff(b, "root", "admin")
		fast := newReceiver(b)
		for range endpoints {
			h.subscribe(b, admin, fast, map[string]any{"event_types": []string{events.GameUpdated}})
		}
		run := func(prefix string) time.Duration {
			before := len(fast.requests())
			start := time.Now()
			require.NoError(b, h.appendGames(prefix, 4, n))
			for len(fast.requests()) < before+endpoints*n {
				time.Sleep(time.Millisecond)
			}
			return time.Since(start)
		}
		b.StartTimer()
		arena += run("a")
		b.StopTimer()

		slow := newReceiver(b)
		release := make(chan struct{})
		slow.answer = func(received) int {
			select {
			case <-release:
			case <-time.After(5 * time.Second):
			}
			return http.StatusOK
		}
		h.subscribe(b, admin, slow, map[string]any{"event_types": []string{events.GameUpdated}})
		b.StartTimer()
		withSlow += run("s")
		b.StopTimer()
		close(release)

		body := fast.requests()[0].body
		start := time.Now()
		var wg sync.WaitGroup
		for range endpoints {
			wg.Go(func() {
				for range n {
					req, err := http.NewRequestWithContext(context.Background(), "POST", fast.URL+"/plain", bytes.NewReader(body))
					if err != nil {
						panic(err)
					}
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						panic(err)
					}
					_ = resp.Body.Close()
				}
			})
		}
		wg.Wait()
		plain += time.Since(start)
	}
	per := func(d time.Duration) float64 { return float64(endpoints*n*b.N) / d.Seconds() }
	b.ReportMetric(per(arena), "deliveries/s")
	b.ReportMetric(per(withSlow), "deliveries/s-beside-a-5s-endpoint")
	b.ReportMetric(per(plain), "plain-posts/s")
	b.ReportMetric(per(arena)/per(plain), "ratio")
}
