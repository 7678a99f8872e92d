package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/modules/registration"
)

// TestSlotRace: 300 funded players race for 64 slots of a paid solo tournament over HTTP.
func TestSlotRace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	tid := h.paidSolo(t, org, 64)
	_, tokens := h.fastPlayers(t, "racer", 300, 1000)

	answers := concurrently(t, len(tokens), func(i int) (response, error) {
		return h.request("POST", "/v1/tournaments/"+tid+"/registrations", tokens[i], map[string]any{}, "Idempotency-Key", fmt.Sprint("race-", i))
	})
	byStatus := map[int]int{}
	for _, r := range answers {
		byStatus[r.Status]++
	}
	require.Equal(t, map[int]int{http.StatusCreated: 64, http.StatusConflict: 236}, byStatus)

	count := func(sql string) int {
		var n int
		require.NoError(t, h.pool.QueryRow(context.Background(), sql, tid).Scan(&n))
		return n
	}
	require.Equal(t, 64, count("SELECT count(*) FROM registrations WHERE tournament_id = $1"))
	require.Equal(t, 64, count("SELECT count(*) FROM wallet_transfers WHERE kind = 'entry_fee' AND credit_account_id = (SELECT id FROM wallet_accounts WHERE owner_id = $1)"))
	// One notice enqueued per entry, each for an entry of this tournament.
	expected := make([]rivertest.ExpectedJob, 64)
	for i := range expected {
		expected[i].Args = registration.NoticeArgs{}
	}
	var noticed []string
	for _, j := range rivertest.RequireManyInserted(context.Background(), t, riverpgxv5.New(h.pool), expected) {
		var args registration.NoticeArgs
		require.NoError(t, json.Unmarshal(j.EncodedArgs, &args))
		noticed = append(noticed, args.RegistrationID.String())
	}
	var entries []string
	rows, err := h.pool.Query(context.Background(), "SELECT id::text FROM registrations WHERE tournament_id = $1", tid)
	require.NoError(t, err)
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		entries = append(entries, id)
	}
	require.NoError(t, rows.Err())
	slices.Sort(noticed)
	slices.Sort(entries)
	require.Equal(t, entries, noticed)
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"])
	r := h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(64), r.Body["registered"])
}

func TestRegistrationOverHTTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid := h.paidSolo(t, org, 16)
	_, tokens := h.fastPlayers(t, "reg", 3, 1000)
	path := "/v1/tournaments/" + tid + "/registrations"

	h.call(t, "POST", path, tokens[0], map[string]any{}).requireProblem(t, http.StatusBadRequest, "invalid")
	first := h.call(t, "POST", path, tokens[0], map[string]any{}, "Idempotency-Key", "join-1").requireStatus(t, http.StatusCreated)
	require.Equal(t, "reg0", first.Body["registered_by"].(map[string]any)["handle"])
	require.NotContains(t, first.Body, "team", "a solo entry has no team")
	replay := h.call(t, "POST", path, tokens[0], map[string]any{}, "Idempotency-Key", "join-1").requireStatus(t, http.StatusCreated)
	require.Equal(t, first.Body, replay.Body, "a replay returns the same response")
	require.Equal(t, "true", replay.Header.Get("Idempotent-Replayed"))
	w := h.call(t, "GET", "/v1/wallet", tokens[0], nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(500), w.Body["balances"].([]any)[0].(map[string]any)["available"], "charged once")
	h.call(t, "POST", path, tokens[0], map[string]any{}, "Idempotency-Key", "join-2").requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "POST", path, tokens[1], map[string]any{"sneaky": 1}, "Idempotency-Key", "j").requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call(t, "POST", path, tokens[1], map[string]any{}, "Idempotency-Key", "j2").requireStatus(t, http.StatusCreated)

	t.Run("Lists", func(t *testing.T) {
		var r response
		n := h.countQueries(func() { r = h.call(t, "GET", path, "", nil).requireStatus(t, http.StatusOK) })
		require.Equal(t, int64(2), n, "terms + page")
		items := r.Body["items"].([]any)
		require.Len(t, items, 2)
		require.Equal(t, "reg0", items[0].(map[string]any)["registered_by"].(map[string]any)["handle"])
		require.NotContains(t, items[0], "payment", "the public does not see payment state")
		r = h.call(t, "GET", path, org, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, "wallet", r.Body["items"].([]any)[0].(map[string]any)["payment"].(map[string]any)["method"])

		n = h.countQueries(func() { r = h.call(t, "GET", "/v1/me/registrations", tokens[0], nil).requireStatus(t, http.StatusOK) })
		require.Equal(t, int64(2), n, "authenticate + page")
		require.Equal(t, "confirmed", r.Body["items"].([]any)[0].(map[string]any)["status"])
	})
	t.Run("Withdraw", func(t *testing.T) {
		tid := h.paidSolo(t, org, 16)
		_, tokens := h.fastPlayers(t, "wd", 2, 1000)
		regID := h.call(t, "POST", "/v1/tournaments/"+tid+"/registrations", tokens[0], map[string]any{}, "Idempotency-Key", "wd").
			requireStatus(t, http.StatusCreated).Body["id"].(string)
		h.call(t, "DELETE", "/v1/registrations/"+regID, tokens[1], nil).requireProblem(t, http.StatusNotFound, "not_found")
		h.call(t, "DELETE", "/v1/registrations/"+regID, tokens[0], nil).requireStatus(t, http.StatusNoContent)
		w := h.call(t, "GET", "/v1/wallet", tokens[0], nil).requireStatus(t, http.StatusOK)
		require.Equal(t, float64(1000), w.Body["balances"].([]any)[0].(map[string]any)["available"], "refunded")
	})
	t.Run("CancelShowsRefundProgress", func(t *testing.T) {
		tid := h.paidSolo(t, org, 16)
		_, tokens := h.fastPlayers(t, "cx", 1, 1000)
		h.call(t, "POST", "/v1/tournaments/"+tid+"/registrations", tokens[0], map[string]any{}, "Idempotency-Key", "cx").
			requireStatus(t, http.StatusCreated)
		h.call(t, "POST", "/v1/tournaments/"+tid+"/cancel", org, nil).requireStatus(t, http.StatusOK)
		r := h.call(t, "GET", "/v1/tournaments/"+tid+"/refunds", "", nil).requireStatus(t, http.StatusOK)
		require.Equal(t, map[string]any{"refunded": float64(0), "total": float64(0)}, r.Body, "the job has not run yet")
	})
}

// TestGetRegistration: anyone reads an entry as the tournament's list shows it; only its
// members and the organizer see its payment.
func TestGetRegistration(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid := h.paidSolo(t, org, 4)
	_, tokens := h.fastPlayers(t, "seen", 2, 1000)
	reg := h.join(t, tid, tokens[0])[0]
	for who, token := range map[string]string{"member": tokens[0], "organizer": org, "anyone": "", "another player": tokens[1]} {
		got := h.call(t, "GET", "/v1/registrations/"+reg, token, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, reg, got.Body["id"], who)
		require.Equal(t, "confirmed", got.Body["status"], who)
		_, paid := got.Body["payment"]
		require.Equal(t, who == "member" || who == "organizer", paid, who)
	}
	h.call(t, "GET", "/v1/registrations/"+tid, "", nil).requireStatus(t, http.StatusNotFound)
	h.call(t, "GET", "/v1/registrations/nope", "", nil).requireStatus(t, http.StatusUnprocessableEntity)
}
