package tests

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRemoveAnEntry: between the close of registration and the bracket the organizer removes
// entries, refunding through the ledger exactly once or keeping the fee; an entry removed or
// disqualified without a refund is not paid back when the tournament is cancelled later.
func TestRemoveAnEntry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)
	tid := h.paidSolo(t, org, 8)
	_, tokens := h.fastPlayers(t, "rm_", 4, 1000)
	regs := h.join(t, tid, tokens...)
	remove := func(token, reg string, refund bool) response {
		return h.call(t, "POST", "/v1/registrations/"+reg+"/remove", token, map[string]any{"refund": refund, "reason": "No-show at the briefing."})
	}
	r := remove(org, regs[0], true).requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "withdraw", "while registration is open the entrant withdraws")
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)

	remove(tokens[1], regs[1], true).requireProblem(t, http.StatusForbidden, "forbidden") // their own entry
	remove(tokens[1], regs[0], true).requireProblem(t, http.StatusNotFound, "not_found")  // someone else's
	remove(org, regs[0], true).requireStatus(t, http.StatusNoContent)
	remove(org, regs[0], true).requireProblem(t, http.StatusConflict, "conflict")
	remove(org, regs[1], false).requireStatus(t, http.StatusNoContent)
	h.call(t, "POST", "/v1/registrations/"+regs[2]+"/disqualify", org, nil).requireStatus(t, http.StatusNoContent)

	balance := func(token string) float64 {
		return h.call(t, "GET", "/v1/wallet", token, nil).requireStatus(t, http.StatusOK).Body["balances"].([]any)[0].(map[string]any)["available"].(float64)
	}
	require.Equal(t, float64(1000), balance(tokens[0]), "refunded")
	require.Equal(t, float64(500), balance(tokens[1]), "removed without a refund")
	var refunds int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT count(*) FROM wallet_transfers WHERE kind = 'refund' AND reference = $1`,
		regs[0]).Scan(&refunds))
	require.Equal(t, 1, refunds, "once, whatever the retries")
	require.Equal(t, float64(1), h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["registered"], "slots freed")
	list := h.call(t, "GET", "/v1/tournaments/"+tid+"/registrations", org, nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
	first := list[0].(map[string]any)
	require.Equal(t, "removed", first["status"])
	require.Equal(t, "No-show at the briefing.", first["removal_reason"])
	public := h.call(t, "GET", "/v1/tournaments/"+tid+"/registrations", "", nil).Body["items"].([]any)[0].(map[string]any)
	require.NotContains(t, public, "removal_reason", "the organizer's note")

	// Cancelled later: the remaining entry is refunded; the entries that lost their fee stay so.
	h.call(t, "POST", "/v1/tournaments/"+tid+"/cancel", org, nil).requireStatus(t, http.StatusOK)
	w.WaitIdle(t)
	require.Equal(t, float64(1000), balance(tokens[3]))
	require.Equal(t, float64(500), balance(tokens[1]))
	require.Equal(t, float64(500), balance(tokens[2]), "disqualified: no refund")
	r = h.call(t, "GET", "/v1/tournaments/"+tid+"/refunds", "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, map[string]any{"refunded": float64(1), "total": float64(1)}, r.Body)

	t.Run("NotOnceTheBracketIsLaid", func(t *testing.T) {
		tid, _ := h.startedTournament(t, org, "single_elimination", 2, false)
		var reg string
		require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT id FROM registrations WHERE tournament_id = $1 LIMIT 1`, tid).Scan(&reg))
		r := remove(org, reg, true).requireProblem(t, http.StatusConflict, "conflict")
		require.Contains(t, r.Body["detail"], "running")
	})
}
