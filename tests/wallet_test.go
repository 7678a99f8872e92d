package tests

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDepositsAreIdempotent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	userID, player := h.player(t, "pam")
	path := "/v1/admin/users/" + userID + "/deposits"
	body := map[string]any{"amount": 5000, "currency": "EUR"}

	h.call(t, "POST", path, admin, body).requireProblem(t, http.StatusBadRequest, "invalid")
	h.call(t, "POST", path, player, body, "Idempotency-Key", "k1").requireProblem(t, http.StatusForbidden, "forbidden")
	first := h.call(t, "POST", path, admin, body, "Idempotency-Key", "k1").requireStatus(t, http.StatusCreated)
	again := h.call(t, "POST", path, admin, body, "Idempotency-Key", "k1").requireStatus(t, http.StatusCreated)
	require.Equal(t, first.Body["id"], again.Body["id"], "the first result is replayed")
	require.Empty(t, first.Header.Get("Idempotent-Replayed"))
	require.Equal(t, "true", again.Header.Get("Idempotent-Replayed"), "and says so")
	r := h.call(t, "POST", path, admin, map[string]any{"amount": 1, "currency": "EUR"}, "Idempotency-Key", "k1").
		requireProblem(t, http.StatusUnprocessableEntity, "idempotency_key_reused")
	require.Contains(t, r.Body["detail"], "different request")
	// A forbidden first attempt stored its answer under the player's own key scope only.
	h.call(t, "POST", path, player, body, "Idempotency-Key", "k1").requireProblem(t, http.StatusForbidden, "forbidden")

	w := h.call(t, "GET", "/v1/wallet", player, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []any{map[string]any{"currency": "EUR", "available": float64(5000), "pending_withdrawals": float64(0)}}, w.Body["balances"])

	t.Run("FiftyConcurrentIdenticalDeposits", func(t *testing.T) {
		results := concurrently(t, 50, func(int) (response, error) {
			return h.request("POST", path, admin, map[string]any{"amount": 700, "currency": "USD"}, "Idempotency-Key", "burst")
		})
		ids := map[any]bool{}
		for _, r := range results {
			switch r.Status {
			case http.StatusCreated:
				ids[r.Body["id"]] = true
			case http.StatusConflict: // the first was still running
			default:
				t.Fatalf("unexpected %d: %s", r.Status, r.Raw)
			}
		}
		require.Len(t, ids, 1, "every success is the same transfer")
		var n int
		require.NoError(t, h.pool.QueryRow(context.Background(),
			"SELECT count(*) FROM wallet_transfers WHERE kind = 'deposit' AND currency = 'USD'").Scan(&n))
		require.Equal(t, 1, n, "exactly one transfer")
	})
}

func TestWithdrawals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	userID, player := h.player(t, "wes")
	h.call(t, "POST", "/v1/admin/users/"+userID+"/deposits", admin, map[string]any{"amount": 1000, "currency": "EUR"}, "Idempotency-Key", "d1").
		requireStatus(t, http.StatusCreated)

	key := 0
	withdraw := func(amount int) response {
		key++
		return h.call(t, "POST", "/v1/wallet/withdrawals", player, map[string]any{"amount": amount, "currency": "EUR"}, "Idempotency-Key", fmt.Sprint(key))
	}
	r := withdraw(5000).requireProblem(t, http.StatusConflict, "conflict")
	require.Equal(t, "Insufficient funds.", r.Body["detail"])
	first := withdraw(300).requireStatus(t, http.StatusCreated)
	require.Equal(t, "pending", first.Body["status"])
	second := withdraw(200).requireStatus(t, http.StatusCreated)

	w := h.call(t, "GET", "/v1/wallet", player, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []any{map[string]any{"currency": "EUR", "available": float64(500), "pending_withdrawals": float64(500)}}, w.Body["balances"])

	queue := h.call(t, "GET", "/v1/admin/withdrawals", admin, nil).requireStatus(t, http.StatusOK)
	require.Len(t, queue.Body["items"], 2)
	require.Equal(t, "wes", queue.Body["items"].([]any)[0].(map[string]any)["user_handle"])
	h.call(t, "GET", "/v1/admin/withdrawals", player, nil).requireProblem(t, http.StatusForbidden, "forbidden")

	decide := func(id, verb, k string) response {
		return h.call(t, "POST", "/v1/admin/withdrawals/"+id+"/"+verb, admin, nil, "Idempotency-Key", k)
	}
	h.call(t, "POST", "/v1/admin/withdrawals/"+first.Body["id"].(string)+"/approve", player, nil, "Idempotency-Key", "x").
		requireProblem(t, http.StatusForbidden, "forbidden")
	require.Equal(t, "approved", decide(first.Body["id"].(string), "approve", "a1").requireStatus(t, http.StatusOK).Body["status"])
	require.Equal(t, "approved", decide(first.Body["id"].(string), "approve", "a2").requireStatus(t, http.StatusOK).Body["status"])
	decide(first.Body["id"].(string), "reject", "a3").requireProblem(t, http.StatusConflict, "conflict")
	require.Equal(t, "rejected", decide(second.Body["id"].(string), "reject", "r1").requireStatus(t, http.StatusOK).Body["status"])
	decide("01900000-0000-7000-8000-000000000000", "approve", "a4").requireProblem(t, http.StatusNotFound, "not_found")

	w = h.call(t, "GET", "/v1/wallet", player, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []any{map[string]any{"currency": "EUR", "available": float64(700), "pending_withdrawals": float64(0)}}, w.Body["balances"])

	t.Run("HistoryNewestFirstWithCounterparties", func(t *testing.T) {
		page := h.call(t, "GET", "/v1/wallet/transactions?limit=3", player, nil).requireStatus(t, http.StatusOK)
		items := page.Body["items"].([]any)
		require.Len(t, items, 3)
		newest := items[0].(map[string]any)
		require.Equal(t, "withdrawal_release", newest["kind"], "a rejected withdrawal is no refund")
		require.Equal(t, float64(200), newest["amount"])
		require.Equal(t, "withdrawals", newest["counterparty"].(map[string]any)["kind"])
		hold := items[1].(map[string]any)
		require.Equal(t, float64(-200), hold["amount"], "money leaving the wallet is negative")
		rest := h.call(t, "GET", "/v1/wallet/transactions?limit=3&cursor="+page.Body["next_cursor"].(string), player, nil).requireStatus(t, http.StatusOK)
		items = rest.Body["items"].([]any)
		require.Len(t, items, 1)
		require.Equal(t, "deposit", items[0].(map[string]any)["kind"])
		require.Equal(t, "External", items[0].(map[string]any)["counterparty"].(map[string]any)["description"])
		require.NotContains(t, rest.Body, "next_cursor")
		n := h.countQueries(func() {
			h.call(t, "GET", "/v1/wallet/transactions?limit=100", player, nil).requireStatus(t, http.StatusOK)
		})
		require.Equal(t, int64(2), n, "authenticate + one page query")
	})
	t.Run("Audit", func(t *testing.T) {
		h.call(t, "GET", "/v1/admin/wallet/audit", player, nil).requireProblem(t, http.StatusForbidden, "forbidden")
		r := h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, true, r.Body["ok"])
		require.Empty(t, r.Body["violations"])
	})
}
