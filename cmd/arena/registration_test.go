package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/wallet"
)

// fastPlayers creates n players with a session each and funds (EUR minor units) in their
// wallets, straight in the database: load tests need hundreds of signed-in players, and
// hashing hundreds of passwords would only measure argon2.
func (h *harness) fastPlayers(prefix string, n int, funds int64) (ids []uuid.UUID, tokens []string) {
	h.t.Helper()
	ctx := context.Background()
	now := h.clock.Now()
	var legs []wallet.Leg
	for i := 0; i < n; i++ {
		id := db.NewID()
		raw := make([]byte, 32)
		_, _ = rand.Read(raw)
		token := base64.RawURLEncoding.EncodeToString(raw)
		sum := sha256.Sum256([]byte(token))
		_, err := h.pool.Exec(ctx, `INSERT INTO users (id, email, handle, display_name, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $3, 'x', $4, $4)`, id, fmt.Sprintf("%s%d@example.com", prefix, i), fmt.Sprintf("%s%d", prefix, i), now)
		require.NoError(h.t, err)
		_, err = h.pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $3, $4)`, sum[:], id, now, now.Add(24*time.Hour))
		require.NoError(h.t, err)
		ids, tokens = append(ids, id), append(tokens, token)
		legs = append(legs, wallet.Leg{Debit: wallet.WorldAccount(), Credit: wallet.UserAccount(id), Amount: funds,
			Currency: "EUR", Kind: wallet.Deposit, Reference: "fast players", Key: id.String()})
		if len(legs) == 500 || i == n-1 {
			_, err := h.app.Wallet.TransferMany(ctx, legs)
			require.NoError(h.t, err)
			legs = nil
		}
	}
	return ids, tokens
}

// paidSolo creates a solo tournament with registration open and a 500-cent entry fee.
func (h *harness) paidSolo(org string, capacity int) string {
	h.t.Helper()
	body := h.tournamentBody("cs2", fmt.Sprintf("Race %d", capacity))
	body["capacity"] = capacity
	id := h.call("POST", "/v1/tournaments", org, body).requireStatus(h.t, http.StatusCreated).Body["id"].(string)
	for _, step := range []string{"publish", "open-registration"} {
		h.call("POST", "/v1/tournaments/"+id+"/"+step, org, nil).requireStatus(h.t, http.StatusOK)
	}
	return id
}

// TestSlotRace: 300 funded players race for 64 slots of a paid solo tournament over HTTP.
func TestSlotRace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	tid := h.paidSolo(org, 64)
	_, tokens := h.fastPlayers("racer", 300, 1000)

	statuses := make(chan int, len(tokens))
	var wg sync.WaitGroup
	for i, token := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.call("POST", "/v1/tournaments/"+tid+"/registrations", token, map[string]any{}, "Idempotency-Key", fmt.Sprint("race-", i))
			statuses <- r.Status
		}()
	}
	wg.Wait()
	close(statuses)
	byStatus := map[int]int{}
	for s := range statuses {
		byStatus[s]++
	}
	require.Equal(t, map[int]int{http.StatusCreated: 64, http.StatusConflict: 236}, byStatus)

	count := func(sql string) int {
		var n int
		require.NoError(t, h.pool.QueryRow(context.Background(), sql, tid).Scan(&n))
		return n
	}
	require.Equal(t, 64, count("SELECT count(*) FROM registrations WHERE tournament_id = $1"))
	require.Equal(t, 64, count("SELECT count(*) FROM wallet_transfers WHERE kind = 'entry_fee' AND credit_account_id = (SELECT id FROM wallet_accounts WHERE owner_id = $1)"))
	require.Equal(t, 64, count("SELECT count(*) FROM river_job WHERE kind = 'registration.notice' AND args->>'registration_id' IN (SELECT id::text FROM registrations WHERE tournament_id = $1)"))
	audit := h.call("GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"])
	r := h.call("GET", "/v1/tournaments/"+tid, "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(64), r.Body["registered"])
}

func TestRegistrationOverHTTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff("root", "admin")
	org := h.staff("olga", "organizer")
	h.game(admin, "cs2")
	tid := h.paidSolo(org, 16)
	_, tokens := h.fastPlayers("reg", 3, 1000)
	path := "/v1/tournaments/" + tid + "/registrations"

	h.call("POST", path, tokens[0], map[string]any{}).requireProblem(t, http.StatusBadRequest, "invalid")
	first := h.call("POST", path, tokens[0], map[string]any{}, "Idempotency-Key", "join-1").requireStatus(t, http.StatusCreated)
	require.Equal(t, "reg0", first.Body["registered_by"].(map[string]any)["handle"])
	require.NotContains(t, first.Body, "team", "a solo entry has no team")
	replay := h.call("POST", path, tokens[0], map[string]any{}, "Idempotency-Key", "join-1").requireStatus(t, http.StatusCreated)
	require.Equal(t, first.Body, replay.Body, "a replay returns the same response")
	w := h.call("GET", "/v1/wallet", tokens[0], nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(500), w.Body["balances"].([]any)[0].(map[string]any)["available"], "charged once")
	h.call("POST", path, tokens[0], map[string]any{}, "Idempotency-Key", "join-2").requireProblem(t, http.StatusConflict, "conflict")
	h.call("POST", path, tokens[1], map[string]any{"sneaky": 1}, "Idempotency-Key", "j").requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call("POST", path, tokens[1], map[string]any{}, "Idempotency-Key", "j2").requireStatus(t, http.StatusCreated)

	t.Run("Lists", func(t *testing.T) {
		var r response
		n := h.countQueries(func() { r = h.call("GET", path, "", nil).requireStatus(t, http.StatusOK) })
		require.Equal(t, int64(2), n, "terms + page")
		items := r.Body["items"].([]any)
		require.Len(t, items, 2)
		require.Equal(t, "reg0", items[0].(map[string]any)["registered_by"].(map[string]any)["handle"])
		require.NotContains(t, items[0], "payment", "the public does not see payment state")
		r = h.call("GET", path, org, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, "wallet", r.Body["items"].([]any)[0].(map[string]any)["payment"].(map[string]any)["method"])

		n = h.countQueries(func() { r = h.call("GET", "/v1/me/registrations", tokens[0], nil).requireStatus(t, http.StatusOK) })
		require.Equal(t, int64(2), n, "authenticate + page")
		require.Equal(t, "confirmed", r.Body["items"].([]any)[0].(map[string]any)["status"])
	})
	t.Run("Withdraw", func(t *testing.T) {
		regID := first.Body["id"].(string)
		h.call("DELETE", "/v1/registrations/"+regID, tokens[1], nil).requireProblem(t, http.StatusNotFound, "not_found")
		h.call("DELETE", "/v1/registrations/"+regID, tokens[0], nil).requireStatus(t, http.StatusNoContent)
		w := h.call("GET", "/v1/wallet", tokens[0], nil).requireStatus(t, http.StatusOK)
		require.Equal(t, float64(1000), w.Body["balances"].([]any)[0].(map[string]any)["available"], "refunded")
	})
	t.Run("CancelShowsRefundProgress", func(t *testing.T) {
		h.call("POST", "/v1/tournaments/"+tid+"/cancel", org, nil).requireStatus(t, http.StatusOK)
		r := h.call("GET", "/v1/tournaments/"+tid+"/refunds", "", nil).requireStatus(t, http.StatusOK)
		require.Equal(t, map[string]any{"refunded": float64(0), "total": float64(0)}, r.Body, "the job has not run yet")
	})
}
