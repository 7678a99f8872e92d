package tests

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
)

// feedTypes reads the whole feed as token sees it and returns the events' types in order.
func (h *harness) feedTypes(t testingT, token, query string) ([]string, []map[string]any) {
	t.Helper()
	h.awaitEventHorizon(t)
	var types []string
	var items []map[string]any
	after := ""
	for {
		r := h.call(t, "GET", "/v1/events?limit=100&after="+after+query, token, nil).requireStatus(t, http.StatusOK)
		page, _ := r.Body["items"].([]any)
		for _, it := range page {
			m := it.(map[string]any)
			types, items = append(types, m["type"].(string)), append(items, m)
		}
		if len(page) < 100 {
			return types, items
		}
		after = r.Body["next_cursor"].(string)
	}
}

// awaitEventHorizon waits until every event appended so far is readable. The log shows an
// event only once every older transaction of the cluster has ended (see 00041_events.sql),
// and other tests' databases share this cluster: a test holding a transaction open (the
// crash tests hold one for seconds) delays every feed. Polled: the transactions are other
// tests', with nothing to subscribe to.
func (h *harness) awaitEventHorizon(t testingT) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var readable bool
		require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT coalesce(max(txid), 0) <
			pg_snapshot_xmin(pg_current_snapshot())::text::bigint FROM events`).Scan(&readable))
		if readable {
			return
		}
		require.True(t, time.Now().Before(deadline), "events still hidden by a transaction after a minute")
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEventsOfATournament: each state change appends its events in its own transaction —
// the lifecycle, the entries, the bracket, the matches, the money — and a change that is
// refused (a join without the fee) appends none.
func TestEventsOfATournament(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	h.playReady(t, tid, reporters)

	types, _ := h.feedTypes(t, admin, "&tournament_id="+tid)
	for _, want := range []string{events.TournamentPublished, events.TournamentStatusChanged, events.RegistrationCreated,
		events.BracketCreated, events.MatchReported, events.MatchConfirmed, events.StandingsUpdated, events.MatchReady} {
		require.Contains(t, types, want)
	}

	broke := h.paidSolo(t, org, 4)
	_, poor := h.fastPlayers(t, "poor", 1, 100) // less than the 500 fee
	h.call(t, "POST", "/v1/tournaments/"+broke+"/registrations", poor[0], map[string]any{}, "Idempotency-Key", "no money").
		requireProblem(t, http.StatusConflict, "conflict")
	types, _ = h.feedTypes(t, admin, "&tournament_id="+broke)
	require.NotContains(t, types, events.RegistrationCreated, "the refused join rolled back, and its event with it")
}

// TestEventVisibility: a player sees its own wallet events and never another's; anonymous
// readers see public events only.
func TestEventVisibility(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	tid := h.paidSolo(t, org, 4)
	ids, tokens := h.fastPlayers(t, "vis", 2, 1000)
	h.join(t, tid, tokens[0])

	_, mine := h.feedTypes(t, tokens[0], "&type="+events.WalletTransfer)
	require.NotEmpty(t, mine)
	for _, e := range mine {
		require.Equal(t, ids[0].String(), e["user_id"])
	}
	_, theirs := h.feedTypes(t, tokens[1], "")
	for _, e := range theirs {
		require.NotEqual(t, ids[0].String(), e["user_id"], "another player's event: %v", e)
	}
	_, anonymous := h.feedTypes(t, "", "")
	require.NotEmpty(t, anonymous)
	for _, e := range anonymous {
		require.Equal(t, events.Public, e["visibility"])
	}
	_, all := h.feedTypes(t, admin, "&type="+events.WalletTransfer)
	for _, e := range all {
		require.NotEqual(t, ids[0].String(), e["user_id"], "not even an admin reads a player's wallet events")
	}
}

// TestEventOrderIgnoresCommitOrder: the later-positioned transaction commits first; no
// reader sees its event before the earlier one's transaction has ended, so nobody who read
// the log in between can miss the earlier event.
func TestEventOrderIgnoresCommitOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := context.Background()
	first, err := h.pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = first.Rollback(ctx) }()
	append1 := events.Event{Type: events.GameUpdated, Visibility: events.Public, Payload: events.GameData{Slug: "first", Name: "First"}}
	require.NoError(t, events.AppendTx(ctx, first, time.Now(), append1))

	second, err := h.pool.Begin(ctx)
	require.NoError(t, err)
	append2 := events.Event{Type: events.GameUpdated, Visibility: events.Public, Payload: events.GameData{Slug: "second", Name: "Second"}}
	require.NoError(t, events.AppendTx(ctx, second, time.Now(), append2))
	require.NoError(t, second.Commit(ctx))

	r := h.call(t, "GET", "/v1/events", "", nil).requireStatus(t, http.StatusOK)
	require.Empty(t, r.Body["items"], "the second's event waits for the first transaction to end")
	require.NoError(t, first.Commit(ctx))
	_, items := h.feedTypes(t, "", "")
	require.Len(t, items, 2)
	require.Equal(t, "first", items[0]["data"].(map[string]any)["slug"])
	require.Equal(t, "second", items[1]["data"].(map[string]any)["slug"])
}

// TestEventStreamResumes reads the stream, drops the connection after each event and
// reconnects with Last-Event-ID: it gets exactly the feed, no event lost or twice.
func TestEventStreamResumes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.startStreams(t)
	admin, org := h.staffWithGame(t)
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	h.playReady(t, tid, reporters)
	want, _ := h.feedTypes(t, admin, "&tournament_id="+tid)

	var got []string
	last := ""
	for len(got) < len(want) {
		req, err := http.NewRequest("GET", h.url+"/v1/events/stream?tournament_id="+tid, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+admin)
		if last != "" {
			req.Header.Set("Last-Event-ID", last)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		resp, err := http.DefaultClient.Do(req.WithContext(ctx))
		require.NoError(t, err)
		require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			line := lines.Text()
			if id, ok := strings.CutPrefix(line, "id: "); ok {
				last = id
			}
			if kind, ok := strings.CutPrefix(line, "event: "); ok {
				got = append(got, kind)
				break // drop the connection after every event
			}
		}
		cancel()
		_ = resp.Body.Close()
	}
	require.Equal(t, want, got)
}

// TestEventRetention: what the retention deleted answers 410, naming where to read on.
func TestEventRetention(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	h.paidSolo(t, org, 4)
	_, items := h.feedTypes(t, "", "")
	require.NotEmpty(t, items)
	first := items[0]["cursor"].(string)
	_, err := h.pool.Exec(context.Background(), `UPDATE event_retention SET (purged_txid, purged_id) =
		(SELECT txid, id FROM events ORDER BY txid DESC, id DESC LIMIT 1)`)
	require.NoError(t, err)
	r := h.call(t, "GET", "/v1/events?after="+first, "", nil).requireProblem(t, http.StatusGone, "gone")
	require.Contains(t, fmt.Sprint(r.Body["detail"]), "oldest cursor")
	// Reading from the start is reading from the oldest event kept, never 410.
	h.call(t, "GET", "/v1/events", "", nil).requireStatus(t, http.StatusOK)
}

// TestAppendsAddOneRoundTrip: a transaction writes all its events in one statement before
// it commits, however many it appends.
func TestAppendsAddOneRoundTrip(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := context.Background()
	appending := func(n int) int64 {
		return h.countQueries(func() {
			require.NoError(t, db.InTx(ctx, h.pool, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS scratch (n int)`); err != nil {
					return err // some write, so that the transaction has an id with events or without
				}
				evs := make([]events.Event, n)
				for i := range evs {
					evs[i] = events.Event{Type: events.TournamentPublished, Visibility: events.Public, TournamentID: db.NewID(),
						Payload: events.TournamentStatusData{Status: "published", PreviousStatus: "draft"}}
				}
				return events.AppendTx(ctx, tx, time.Now(), evs...)
			}))
		})
	}
	none := appending(0)
	require.Equal(t, none+1, appending(1), "one event: one more round trip")
	require.Equal(t, none+1, appending(100), "a hundred events: still one")
}
