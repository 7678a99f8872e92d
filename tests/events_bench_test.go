package tests

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
)

// serveElsewhere starts `arena serve` as its own process on the harness's database (so its
// memory and CPU are its own, not the benchmark's clients') and returns its URL and pid.
func (h *harness) serveElsewhere(tb testing.TB) (string, int) {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	addr := l.Addr().String()
	require.NoError(tb, l.Close())
	cmd := h.startProcess(tb, addr)
	url := "http://" + addr
	h.awaitCrossProcess(tb, "the Arena process to serve", func() bool {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return url, cmd.Process.Pid
}

// residentKiB is a process's resident memory (VmRSS).
func residentKiB(tb testing.TB, pid int) int64 {
	tb.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(tb, err)
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			require.NoError(tb, err)
			return kib
		}
	}
	tb.Fatal("no VmRSS")
	return 0
}

// percentile is the p-th percentile (0–100) of sorted samples.
func percentile(sorted []time.Duration, p float64) time.Duration {
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p/100))]
}

// BenchmarkEventStreams: 100, then 1 000 anonymous streams on one Arena process (its own
// process, fed by its one LISTEN) while 100 events a second are committed, one per
// transaction, for five seconds.
// Latency is from each writer's commit returning to each stream's client holding the
// whole message; the baseline, in the same run and on the same commits, is a bare LISTEN
// connection on the channel the log notifies (Postgres's own delivery: the floor). Memory
// per idle stream is the process's resident growth over opening the 1 000, divided.
func BenchmarkEventStreams(b *testing.B) {
	for _, streams := range []int{100, 1000} {
		b.Run(fmt.Sprint(streams), func(b *testing.B) { benchmarkStreams(b, streams) })
	}
}

func benchmarkStreams(b *testing.B, streams int) {
	const rate, seconds = 100, 5
	for range b.N {
		b.StopTimer()
		h := newHarness(b, nil)
		url, pid := h.serveElsewhere(b)
		ctx, stop := context.WithCancel(context.Background())

		before := residentKiB(b, pid)
		var mu sync.Mutex
		var latencies []time.Duration
		committed := sync.Map{} // slug → commit time
		received := func(e sseEvent) {
			at := time.Now()
			slug := e.data[strings.Index(e.data, `"slug":"`)+8:]
			slug = slug[:strings.IndexByte(slug, '"')]
			latency := time.Duration(0) // unknown yet: it arrived before its commit returned to the writer
			if c, ok := committed.Load(slug); ok {
				latency = at.Sub(c.(time.Time))
			}
			mu.Lock()
			latencies = append(latencies, latency)
			mu.Unlock()
		}
		var open sync.WaitGroup
		open.Add(streams)
		for range streams {
			go func() {
				opened := false
				_ = readStream(ctx, url, "type="+events.GameUpdated, "", "", func(e sseEvent) bool {
					if !opened { // the first message is the warm-up event below
						opened = true
						open.Done()
						return true
					}
					received(e)
					return true
				})
			}()
		}
		warm := events.Event{Type: events.GameUpdated, Visibility: events.Public, Payload: events.GameData{Slug: "warm", Name: "warm"}}
		require.NoError(b, db.InTx(ctx, h.pool, func(tx pgx.Tx) error { return events.AppendTx(ctx, tx, time.Now(), warm) }))
		open.Wait()
		time.Sleep(time.Second)
		perStream := float64(residentKiB(b, pid)-before) / float64(streams)

		listener, err := h.pool.Acquire(ctx)
		require.NoError(b, err)
		_, err = listener.Exec(ctx, "LISTEN arena_events")
		require.NoError(b, err)
		// One notification per transaction, in commit order: the k-th is the k-th commit's.
		var notified, commits []time.Time
		listened := make(chan struct{})
		go func() {
			defer close(listened)
			for len(notified) < rate*seconds {
				if _, err := listener.Conn().WaitForNotification(ctx); err != nil {
					return
				}
				notified = append(notified, time.Now())
			}
		}()

		b.StartTimer()
		tick := time.NewTicker(time.Second / rate)
		for i := range rate * seconds {
			<-tick.C
			slug := fmt.Sprint("ev-", i)
			err := db.InTx(ctx, h.pool, func(tx pgx.Tx) error {
				return events.AppendTx(ctx, tx, time.Now(), events.Event{Type: events.GameUpdated, Visibility: events.Public,
					Payload: events.GameData{Slug: slug, Name: slug}})
			})
			now := time.Now()
			require.NoError(b, err)
			committed.Store(slug, now)
			commits = append(commits, now)
		}
		tick.Stop()
		time.Sleep(time.Second) // the last events reach every stream
		b.StopTimer()
		stop()
		<-listened
		listener.Release()

		floor := make([]time.Duration, len(notified))
		for k, at := range notified {
			floor[k] = at.Sub(commits[k])
		}
		mu.Lock()
		slices.Sort(latencies)
		slices.Sort(floor)
		require.GreaterOrEqual(b, len(latencies), streams*rate*seconds*99/100, "nearly every event reached every stream")
		b.ReportMetric(float64(len(latencies)), "deliveries")
		b.ReportMetric(percentile(latencies, 50).Seconds()*1000, "p50-ms")
		b.ReportMetric(percentile(latencies, 99).Seconds()*1000, "p99-ms")
		b.ReportMetric(percentile(latencies, 100).Seconds()*1000, "max-ms")
		b.ReportMetric(percentile(floor, 50).Seconds()*1000, "listen-p50-ms")
		b.ReportMetric(percentile(floor, 99).Seconds()*1000, "listen-p99-ms")
		b.ReportMetric(perStream, "KiB/idle-stream")
		mu.Unlock()
	}
}

// BenchmarkEventFeedDepth: a page of 100 events, anonymous, from a log of 1 000 000 public
// events, read at its start and at its end (the keyset makes both one index range scan).
func BenchmarkEventFeedDepth(b *testing.B) {
	h := newHarness(b, nil)
	ctx := context.Background()
	const total = 1_000_000
	for from := 0; from < total; from += 100_000 { // one transaction each: ten txids, as a busy log has many
		_, err := h.pool.Exec(ctx, `INSERT INTO events (type, visibility, payload, created_at)
			SELECT 'game.updated', 'public', jsonb_build_object('slug', 'g' || i, 'name', 'g' || i), now()
			FROM generate_series($1::int, $1::int + 99999) i`, from)
		require.NoError(b, err)
	}
	_, err := h.pool.Exec(ctx, "VACUUM ANALYZE events")
	require.NoError(b, err)
	// Both pages start after a cursor, so both take the same statements (a cursor is checked
	// against the retention); the start's is the first event's.
	cursor := func(order string) string {
		var p struct {
			Txid int64 `json:"t"`
			ID   int64 `json:"i"`
		}
		require.NoError(b, h.pool.QueryRow(ctx, `SELECT txid, id FROM events ORDER BY `+order+` LIMIT 1`).Scan(&p.Txid, &p.ID))
		return arena.EncodeCursor(p)
	}
	start, end := cursor("txid, id"), cursor("txid DESC, id DESC OFFSET 101")
	h.awaitEventHorizon(b)
	for _, c := range []struct{ name, after string }{{"start", start}, {"end", end}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				r, err := h.request("GET", "/v1/events?limit=100&after="+c.after, "", nil)
				require.NoError(b, err)
				require.Equal(b, http.StatusOK, r.Status)
				require.Len(b, r.Body["items"], 100)
			}
		})
	}
}
