package tests

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/internal/app"
	"github.com/arenaesports/arena/modules/events"
)

// testRetries is the retry schedule of the tests' Arenas: Standard Webhooks' seven waits,
// in milliseconds.
var testRetries = []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond,
	40 * time.Millisecond, 80 * time.Millisecond, 160 * time.Millisecond, 320 * time.Millisecond}

// received is one request a receiver took.
type received struct {
	id, timestamp, signature string
	body                     []byte
	verified                 bool
	status                   int // what the receiver answered; 0 while it still holds the request
}

// receiver is a webhook endpoint for tests: it verifies each request by the Standard
// Webhooks scheme with code of its own (not Arena's signer) and answers what answer says.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	secrets []string
	got     []received
	answer  func(r received) int
}

func newReceiver(t testing.TB) *receiver {
	rc := &receiver{answer: func(received) int { return http.StatusNoContent }}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r := received{id: req.Header.Get("webhook-id"), timestamp: req.Header.Get("webhook-timestamp"),
			signature: req.Header.Get("webhook-signature"), body: body}
		rc.mu.Lock()
		r.verified = verifies(rc.secrets, r, time.Now())
		i, answer := len(rc.got), rc.answer
		rc.got = append(rc.got, r)
		rc.mu.Unlock()
		status := http.StatusUnauthorized
		if r.verified {
			status = answer(r)
		}
		rc.mu.Lock()
		rc.got[i].status = status
		rc.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte("thanks"))
	}))
	t.Cleanup(rc.Close)
	return rc
}

// verifies checks a request as a Standard Webhooks receiver does: the timestamp within five
// minutes of now, and one of the space-separated v1 signatures the HMAC-SHA256, under one of
// the secrets, of "id.timestamp.body".
func verifies(secrets []string, r received, now time.Time) bool {
	ts, err := strconv.ParseInt(r.timestamp, 10, 64)
	if err != nil || now.Sub(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return false
	}
	for _, secret := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
		if err != nil {
			continue
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(r.id + "." + r.timestamp + "." + string(r.body)))
		want := mac.Sum(nil)
		for _, sig := range strings.Fields(r.signature) {
			got, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sig, "v1,"))
			if strings.HasPrefix(sig, "v1,") && err == nil && hmac.Equal(got, want) {
				return true
			}
		}
	}
	return false
}

func (rc *receiver) trust(secret string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.secrets = append(rc.secrets, secret)
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

// delivered is the webhook-ids of the verified requests the receiver answered 2xx, each
// once, in the order they first arrived, with each one's type.
func (rc *receiver) delivered(t testingT) ([]string, []string) {
	var ids, types []string
	for _, r := range rc.requests() {
		if r.status < 200 || r.status >= 300 || slices.Contains(ids, r.id) {
			continue
		}
		var m struct {
			Type string `json:"type"`
		}
		require.NoError(t, json.Unmarshal(r.body, &m))
		ids, types = append(ids, r.id), append(types, m.Type)
	}
	return ids, types
}

// webhookHarness is a harness whose webhooks may call local receivers and retry in
// milliseconds, with its dispatcher and workers running.
func webhookHarness(t testing.TB) *harness {
	h := newHarness(t, func(c *app.Config) { c.WebhookAllowPrivate, c.WebhookRetries = true, testRetries })
	ctx, stop := context.WithCancel(context.Background())
	go h.app.Webhooks.Dispatch(ctx)
	t.Cleanup(stop)
	h.startWorkers(t)
	return h
}

// subscribe registers rc for token's events and makes rc trust its secret.
func (h *harness) subscribe(t testingT, token string, rc *receiver, body map[string]any) string {
	body["url"] = rc.URL + "/hook"
	r := h.call(t, "POST", "/v1/webhooks", token, body).requireStatus(t, http.StatusCreated)
	secret := r.Body["secret"].(string)
	require.True(t, strings.HasPrefix(secret, "whsec_"))
	rc.trust(secret)
	return r.Body["id"].(string)
}

// awaitWebhooks waits until done holds (the dispatcher and the workers run on their own).
func awaitWebhooks(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !done() {
		require.True(t, time.Now().Before(deadline), "waited a minute for %s", what)
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWebhooksDeliverTheLog: an organizer's endpoint gets its tournaments' events — and no
// one else's, and no wallet event — signed, in log order, each with the event's cursor as
// webhook-id; an admin's gets every public event. A tampered body and an old timestamp do not
// verify.
func TestWebhooksDeliverTheLog(t *testing.T) {
	t.Parallel()
	h := webhookHarness(t)
	admin, org := h.staffWithGame(t)
	other := h.staff(t, "otto", "organizer")
	mine, theirs, all := newReceiver(t), newReceiver(t), newReceiver(t)
	h.subscribe(t, org, mine, map[string]any{"description": "olga's bot"})
	h.subscribe(t, other, theirs, map[string]any{})
	h.subscribe(t, admin, all, map[string]any{"event_types": []string{"*"}})
	tid, reporters := h.startedTournament(t, org, "single_elimination", 4, false)
	h.playReady(t, tid, reporters)

	want, _ := h.feedTypes(t, org, "&tournament_id="+tid)
	_, items := h.feedTypes(t, org, "&tournament_id="+tid)
	var cursors []string
	for _, it := range items {
		cursors = append(cursors, it["cursor"].(string))
	}
	awaitWebhooks(t, "olga's events", func() bool { ids, _ := mine.delivered(t); return len(ids) >= len(want) })
	ids, types := mine.delivered(t)
	require.Equal(t, cursors, ids, "every event of her tournament, in log order, webhook-id its cursor")
	require.Equal(t, want, types)
	for _, r := range mine.requests() {
		require.True(t, r.verified, "every request is signed with her secret")
	}
	require.Empty(t, theirs.requests(), "another organizer's endpoint gets nothing of hers")
	public, _ := h.feedTypes(t, "", "&tournament_id="+tid)
	awaitWebhooks(t, "the admin's public events", func() bool { ids, _ := all.delivered(t); return len(ids) >= len(public) })
	_, allTypes := all.delivered(t)
	require.NotContains(t, allTypes, events.WalletTransfer)

	first := mine.requests()[0]
	var body struct {
		Type      string         `json:"type"`
		Timestamp time.Time      `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal(first.body, &body))
	require.Equal(t, first.id, body.Data["cursor"])
	require.Equal(t, body.Type, body.Data["type"])
	tampered := first
	tampered.body = []byte(strings.Replace(string(first.body), tid, "00000000-0000-0000-0000-000000000000", 1))
	require.False(t, verifies(mine.secrets, tampered, time.Now()), "a changed body does not verify")
	require.False(t, verifies(mine.secrets, first, time.Now().Add(10*time.Minute)), "nor a message ten minutes old")
}

// TestWebhookRetriesInOrder: a receiver that fails each message twice gets every one, in
// order, after two retries each; the attempts are listed with their answers and retry times.
func TestWebhookRetriesInOrder(t *testing.T) {
	t.Parallel()
	h := webhookHarness(t)
	admin, org := h.staffWithGame(t)
	rc := newReceiver(t)
	seen := map[string]int{}
	rc.answer = func(r received) int {
		if seen[r.id]++; seen[r.id] <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	}
	hook := h.subscribe(t, admin, rc, map[string]any{"event_types": []string{events.TournamentPublished, events.RegistrationCreated}})
	tid := h.paidSolo(t, org, 4)
	_, tokens := h.fastPlayers(t, "retry", 3, 1000)
	h.join(t, tid, tokens...)

	awaitWebhooks(t, "four messages", func() bool {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		return len(rc.got) >= 12
	})
	var order []string
	for _, r := range rc.requests() {
		if len(order) == 0 || order[len(order)-1] != r.id {
			order = append(order, r.id)
		}
	}
	require.Len(t, order, 4, "each message tried three times running before the next: in order")
	var attempts []any // each recorded once its answer came back: the last may trail the receiver
	awaitWebhooks(t, "twelve attempts recorded", func() bool {
		page := h.call(t, "GET", "/v1/webhooks/"+hook+"/deliveries?limit=100", admin, nil).requireStatus(t, http.StatusOK)
		attempts = page.Body["items"].([]any)
		return len(attempts) == 12
	})
	last, firstTry := attempts[0].(map[string]any), attempts[11].(map[string]any)
	require.Equal(t, true, last["succeeded"])
	require.Nil(t, last["next_retry_at"])
	require.Equal(t, false, firstTry["succeeded"])
	require.Equal(t, float64(500), firstTry["status_code"])
	require.NotNil(t, firstTry["next_retry_at"])
	require.Equal(t, float64(1), firstTry["attempt"])

	h.call(t, "POST", "/v1/webhooks/"+hook+"/deliveries/"+firstTry["id"].(string)+"/retry", admin, nil).
		requireStatus(t, http.StatusAccepted)
	awaitWebhooks(t, "the redelivery", func() bool { return len(rc.requests()) == 13 })
	require.Equal(t, firstTry["webhook_id"], rc.requests()[12].id, "redelivered with the same webhook-id")
	h.call(t, "GET", "/v1/webhooks/"+hook+"/deliveries", org, nil).requireProblem(t, http.StatusNotFound, "not_found")
}

// TestWebhookGoneDisables: 410 disables the endpoint and tells its owner; resuming it
// delivers what waited.
func TestWebhookGoneDisables(t *testing.T) {
	t.Parallel()
	h := webhookHarness(t)
	admin, org := h.staffWithGame(t)
	rc := newReceiver(t)
	gone := true
	rc.answer = func(received) int {
		if gone {
			return http.StatusGone
		}
		return http.StatusOK
	}
	hook := h.subscribe(t, org, rc, map[string]any{})
	tid := h.createTournament(t, org, "cs2", "Gone Cup")
	awaitWebhooks(t, "the endpoint disabled", func() bool {
		return h.call(t, "GET", "/v1/webhooks/"+hook, org, nil).Body["disabled"] == true
	})
	told := h.eventsOf(t, org, events.WebhookDisabled, "")
	require.Len(t, told, 1)
	require.Contains(t, told[0]["reason"], "410")
	require.Empty(t, h.eventsOf(t, admin, events.WebhookDisabled, ""), "the owner alone is told")

	rc.mu.Lock()
	gone = false
	rc.mu.Unlock()
	h.call(t, "PATCH", "/v1/webhooks/"+hook, org, map[string]any{"disabled": false}).requireStatus(t, http.StatusOK)
	awaitWebhooks(t, "the waiting message", func() bool { ids, _ := rc.delivered(t); return len(ids) == 1 })
	_, types := rc.delivered(t)
	require.Equal(t, []string{events.TournamentCreated}, types)
	require.NotEmpty(t, tid)
}

// TestWebhookSecretRotation: after a rotation both secrets sign until the overlap ends.
func TestWebhookSecretRotation(t *testing.T) {
	t.Parallel()
	h := webhookHarness(t)
	_, org := h.staffWithGame(t)
	rc := newReceiver(t)
	hook := h.subscribe(t, org, rc, map[string]any{})
	old := rc.secrets[0]
	fresh := h.call(t, "POST", "/v1/webhooks/"+hook+"/rotate-secret", org, nil).requireStatus(t, http.StatusOK).Body["secret"].(string)
	require.NotEqual(t, old, fresh)
	ping := h.call(t, "POST", "/v1/webhooks/"+hook+"/ping", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, ping.Body["succeeded"])
	r := rc.requests()[0]
	require.Len(t, strings.Fields(r.signature), 2, "both secrets sign")
	require.True(t, verifies([]string{old}, r, time.Now()))
	require.True(t, verifies([]string{fresh}, r, time.Now()))
	require.Equal(t, "webhook.ping", strings.Split(strings.Split(string(r.body), `"type":"`)[1], `"`)[0])
}

// TestWebhookSlowEndpointDelaysNoOther: while one endpoint's receiver holds every request,
// another endpoint gets all its messages.
func TestWebhookSlowEndpointDelaysNoOther(t *testing.T) {
	t.Parallel()
	h := webhookHarness(t)
	admin, org := h.staffWithGame(t)
	slow, fast := newReceiver(t), newReceiver(t)
	release := make(chan struct{})
	slow.answer = func(received) int { <-release; return http.StatusOK }
	h.subscribe(t, admin, slow, map[string]any{})
	h.subscribe(t, org, fast, map[string]any{})
	tid := h.paidSolo(t, org, 8)
	want, _ := h.feedTypes(t, org, "&tournament_id="+tid)
	awaitWebhooks(t, "the fast endpoint's messages", func() bool { ids, _ := fast.delivered(t); return len(ids) == len(want) })
	require.LessOrEqual(t, len(slow.requests()), 1, "the slow receiver still holds its first request")
	close(release)
}

// TestWebhookTargetsAreChecked: without ARENA_WEBHOOK_ALLOW_PRIVATE only https to public
// addresses is accepted, and a name that resolves to a private address is refused when
// dialled; players may not register endpoints at all.
func TestWebhookTargetsAreChecked(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	for _, url := range []string{"http://example.com/hook", "https://127.0.0.1/hook", "https://[::1]/hook",
		"https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://user:pw@example.com/", "ftp://example.com"} {
		h.call(t, "POST", "/v1/webhooks", org, map[string]any{"url": url}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	}
	h.call(t, "POST", "/v1/webhooks", org, map[string]any{"url": "https://example.com/x", "event_types": []string{"match.exploded"}}).
		requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	hook := h.call(t, "POST", "/v1/webhooks", org, map[string]any{"url": "https://localhost:1/hook"}).
		requireStatus(t, http.StatusCreated).Body["id"].(string)
	ping := h.call(t, "POST", "/v1/webhooks/"+hook+"/ping", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, false, ping.Body["succeeded"])
	require.Equal(t, "the address is not on the public internet", ping.Body["error"])
	_, player := h.fastUser(t, "pat")
	h.call(t, "POST", "/v1/webhooks", player, map[string]any{"url": "https://example.com/x"}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "GET", "/v1/webhooks/"+hook, player, nil).requireProblem(t, http.StatusNotFound, "not_found")
	list := h.call(t, "GET", "/v1/webhooks", org, nil).requireStatus(t, http.StatusOK)
	require.Len(t, list.Body["items"], 1)
	require.Nil(t, list.Body["items"].([]any)[0].(map[string]any)["secret"], "the secret is shown once")
	h.call(t, "DELETE", "/v1/webhooks/"+hook, org, nil).requireStatus(t, http.StatusNoContent)
	require.Equal(t, fmt.Sprint(http.StatusNotFound), fmt.Sprint(h.call(t, "GET", "/v1/webhooks/"+hook, org, nil).Status))
}

// TestWebhookFailingForDaysDisables: an endpoint whose every attempt fails for five days
// (the application's clock) is disabled, and its owner told.
func TestWebhookFailingForDaysDisables(t *testing.T) {
	t.Parallel()
	h := webhookHarness(t)
	_, org := h.staffWithGame(t)
	rc := newReceiver(t)
	rc.answer = func(received) int { return http.StatusBadGateway }
	hook := h.subscribe(t, org, rc, map[string]any{})
	tid := h.createTournament(t, org, "cs2", "Down Cup")
	awaitWebhooks(t, "a failure", func() bool {
		return h.call(t, "GET", "/v1/webhooks/"+hook, org, nil).Body["failing_since"] != nil
	})
	require.Equal(t, false, h.call(t, "GET", "/v1/webhooks/"+hook, org, nil).Body["disabled"], "failing, not yet for long")
	h.clock.Advance(5*24*time.Hour + time.Minute)
	// A fresh message, in case the first one's retries were spent before the clock moved.
	h.call(t, "PATCH", "/v1/tournaments/"+tid, org, map[string]any{"name": "Down Cup II"}).requireStatus(t, http.StatusOK)
	awaitWebhooks(t, "the endpoint disabled", func() bool {
		return h.call(t, "GET", "/v1/webhooks/"+hook, org, nil).Body["disabled"] == true
	})
	told := h.eventsOf(t, org, events.WebhookDisabled, "")
	require.Len(t, told, 1)
	require.Equal(t, "every attempt failed for 5 days", told[0]["reason"])
}

// TestWebhookRedirectsAreNotFollowed: a 3xx is the answer (a failure), and its target is
// never called.
func TestWebhookRedirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	h := webhookHarness(t)
	_, org := h.staffWithGame(t)
	target := newReceiver(t)
	rc := newReceiver(t)
	hook := h.subscribe(t, org, rc, map[string]any{})
	rc.Config.Handler = http.RedirectHandler(target.URL+"/elsewhere", http.StatusFound)
	ping := h.call(t, "POST", "/v1/webhooks/"+hook+"/ping", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, false, ping.Body["succeeded"])
	require.Equal(t, float64(http.StatusFound), ping.Body["status_code"])
	require.Empty(t, target.requests())
}

// TestWebhooksAreTheirOwnersAlone: every operation on an endpoint, by everyone but its
// owner: anonymous callers are asked to sign in, everyone else — another organizer, an
// admin, a player — is told it does not exist.
func TestWebhooksAreTheirOwnersAlone(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.WebhookAllowPrivate = true })
	admin, org := h.staffWithGame(t)
	other := h.staff(t, "otto", "organizer")
	_, player := h.fastUser(t, "pat")
	rc := newReceiver(t)
	hook := h.subscribe(t, org, rc, map[string]any{})
	ping := h.call(t, "POST", "/v1/webhooks/"+hook+"/ping", org, nil).requireStatus(t, http.StatusOK).Body["id"].(string)
	base := "/v1/webhooks/" + hook
	ops := []struct{ method, path string }{{"GET", base}, {"PATCH", base}, {"DELETE", base}, {"POST", base + "/rotate-secret"},
		{"POST", base + "/ping"}, {"GET", base + "/deliveries"}, {"POST", base + "/deliveries/" + ping + "/retry"}}
	for _, op := range ops {
		var body any
		if op.method == "PATCH" {
			body = map[string]any{"description": "mine now"}
		}
		h.call(t, op.method, op.path, "", body).requireProblem(t, http.StatusUnauthorized, "unauthorized")
		for _, token := range []string{other, admin, player} {
			h.call(t, op.method, op.path, token, body).requireProblem(t, http.StatusNotFound, "not_found")
		}
	}
	require.Len(t, rc.requests(), 1, "only the owner's ping was sent")
	h.call(t, "GET", base, org, nil).requireStatus(t, http.StatusOK)
}
