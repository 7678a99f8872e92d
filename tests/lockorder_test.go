package tests

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestJoinAndWithdrawNeverDeadlock is issue 13's first finding: players joining and
// withdrawing in a loop on one paid tournament. The join holds the slot row while it
// charges the accounts; the withdrawal used to lock the accounts (the refund) before the
// slot row, and the two deadlocked (SQLSTATE 40P01 answered 500). Both now take the slot
// before the accounts, and InTx retries what Postgres still aborts, so every answer is a
// success and the books balance.
func TestJoinAndWithdrawNeverDeadlock(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid := h.paidSolo(t, org, 16)
	const players, rounds = 8, 6
	_, tokens := h.fastPlayers(t, "looper", players, 10_000)

	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for p := range players {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				key := fmt.Sprintf("loop %d %d", p, r)
				join, err := h.request("POST", "/v1/tournaments/"+tid+"/registrations", tokens[p], map[string]any{}, "Idempotency-Key", key)
				if err != nil {
					panic(err)
				}
				mu.Lock()
				statuses[join.Status]++
				mu.Unlock()
				if join.Status != http.StatusCreated {
					continue
				}
				out, err := h.request("DELETE", "/v1/registrations/"+join.Body["id"].(string), tokens[p], nil)
				if err != nil {
					panic(err)
				}
				mu.Lock()
				statuses[out.Status]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, map[int]int{http.StatusCreated: players * rounds, http.StatusNoContent: players * rounds}, statuses)
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", h.staff(t, "auditor", "admin"), nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"], "audit: %s", audit.Raw)
}
