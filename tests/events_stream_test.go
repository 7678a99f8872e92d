package tests

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
)

// sseEvent is one message of a stream as a client dispatches it.
type sseEvent struct{ id, kind, data string }

// readStream reads one connection to a stream at base (an Arena's URL) with query, resuming
// after lastID, and hands each complete message to got until got returns false, the
// connection ends, or ctx does. As EventSource does, a message counts — and its id becomes
// the one to resume from — only once its closing blank line arrived: a connection cut in
// the middle of one loses nothing.
func readStream(ctx context.Context, base, query, token, lastID string, got func(sseEvent) bool) error {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/v1/events/stream?"+query, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("stream answered %d", resp.StatusCode)
	}
	var cur sseEvent
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		line := lines.Text()
		switch {
		case line == "":
			if cur.id != "" && !got(cur) {
				return nil
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			cur.id = line[len("id: "):]
		case strings.HasPrefix(line, "event: "):
			cur.kind = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[len("data: "):]
		}
	}
	return lines.Err()
}

// appendGames appends n public game.updated events named prefix-i from writers concurrent
// transactions, each of one to three events, in random order of commit. It fails nothing,
// so that it may run beside the test's goroutine.
func (h *harness) appendGames(prefix string, writers, n int) error {
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for i := w; i < n; {
				size := 1 + rand.IntN(3)
				err := db.InTx(ctx, h.pool, func(tx pgx.Tx) error {
					var evs []events.Event
					for k := 0; k < size && i+k*writers < n; k++ {
						name := fmt.Sprintf("%s-%d", prefix, i+k*writers)
						evs = append(evs, events.Event{Type: events.GameUpdated, Visibility: events.Public,
							Payload: events.GameData{Slug: name, Name: name}})
					}
					time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond) // commits overtake each other
					return events.AppendTx(ctx, tx, time.Now(), evs...)
				})
				if err != nil {
					errs <- err
					return
				}
				i += size * writers
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// feedOf reads the whole feed of game.updated events at base, as "cursor slug" lines.
func (h *harness) feedOf(t *testing.T) []string {
	t.Helper()
	_, items := h.feedTypes(t, "", "&type="+events.GameUpdated)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it["cursor"].(string) + " " + it["data"].(map[string]any)["slug"].(string)
	}
	return out
}

// followUntil follows base's game.updated stream, reconnecting with the last id after every
// cut, until it has n events; cut, when set, decides after each connection opens how long
// it lives. It returns the events as feedOf does, and how many connections it took. It
// fails nothing, so that it may run beside the test's goroutine.
func followUntil(base string, n int, cut func() time.Duration) ([]string, int, error) {
	var got []string
	last, connections := "", 0
	deadline := time.Now().Add(2 * time.Minute)
	for len(got) < n {
		if time.Now().After(deadline) {
			return got, connections, fmt.Errorf("the stream stalled at %d of %d events", len(got), n)
		}
		life := time.Minute
		if cut != nil {
			life = cut()
		}
		ctx, cancel := context.WithTimeout(context.Background(), life)
		connections++
		var bad error
		_ = readStream(ctx, base, "type="+events.GameUpdated, "", last, func(e sseEvent) bool {
			var item struct {
				Data events.GameData `json:"data"`
			}
			if bad = json.Unmarshal([]byte(e.data), &item); bad != nil {
				return false
			}
			got, last = append(got, e.id+" "+item.Data.Slug), e.id
			return len(got) < n
		})
		cancel()
		if bad != nil {
			return got, connections, bad
		}
	}
	return got, connections, nil
}

// TestEventStreamSurvivesKilledConnections: while four writers append 600 events in
// transactions that commit out of order, a client whose connection is cut at random
// (between 5 and 60 ms after each connect, mid-message as often as not) reconnects with
// Last-Event-ID and ends with exactly the feed: nothing lost, nothing twice, same order.
func TestEventStreamSurvivesKilledConnections(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.startStreams(t)
	const n = 600
	appended := make(chan error, 1)
	go func() { appended <- h.appendGames("kill", 4, n) }()
	got, connections, err := followUntil(h.url, n, func() time.Duration { return time.Duration(5+rand.IntN(55)) * time.Millisecond })
	require.NoError(t, err)
	require.NoError(t, <-appended)
	require.Equal(t, h.feedOf(t), got)
	require.Greater(t, connections, 5, "the connection was cut along the way")
	t.Logf("%d events over %d connections", n, connections)
}

// TestEventStreamAcrossProcesses: a second Arena process on the same database streams the
// events the first one's requests appended, as they commit, in the feed's order.
func TestEventStreamAcrossProcesses(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a second Arena process: not in -short")
	}
	h := newHarness(t, nil)
	h.startStreams(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	h.startProcess(t, addr)
	other := "http://" + addr
	h.awaitCrossProcess(t, "the second process to serve", func() bool {
		resp, err := http.Get(other + "/readyz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	const n = 200
	type result struct {
		got []string
		err error
	}
	results := make(chan result, 2)
	for _, base := range []string{h.url, other} {
		go func() {
			got, _, err := followUntil(base, n, nil)
			results <- result{got, err}
		}()
	}
	require.NoError(t, h.appendGames("proc", 3, n))
	want := h.feedOf(t)
	for range 2 {
		r := <-results
		require.NoError(t, r.err)
		require.Equal(t, want, r.got)
	}
}
