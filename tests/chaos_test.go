package tests

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// TestChaos is issue 13's bank-invariant run: players join and withdraw from two paid
// tournaments that hold fewer places than there are players, an admin deposits, players
// request withdrawals and read their wallets, all at once — while another connection
// terminates the app's Postgres backends at random. No answer may be a 5xx: Arena retries
// what a lost backend interrupted. The books must balance afterwards.
func TestChaos(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := context.Background()
	admin, org := h.staffWithGame(t)
	tournaments := []string{h.paidSolo(t, org, 6), h.paidSolo(t, org, 6)}
	const players, opsEach = 12, 30
	ids, tokens := h.fastPlayers(t, "chaos", players, 5_000)

	killer, err := pgx.Connect(ctx, h.pool.Config().ConnString())
	require.NoError(t, err)
	defer killer.Close(ctx)
	stop := make(chan struct{})
	terminated := make(chan int, 1)
	go func() {
		n := 0
		defer func() { terminated <- n }()
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(10+rand.IntN(40)) * time.Millisecond):
			}
			var killed int
			if err := killer.QueryRow(ctx, `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
				  AND random() < 0.2`).Scan(&killed); err != nil {
				return
			}
			n += killed
		}
	}()

	var mu sync.Mutex
	statuses := map[string]int{}
	failures := []string{}
	record := func(op string, r response, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", op, err))
			return
		}
		statuses[fmt.Sprintf("%s %d", op, r.Status)]++
		if r.Status >= 500 {
			failures = append(failures, fmt.Sprintf("%s: %d %s", op, r.Status, r.Raw))
		}
	}
	var wg sync.WaitGroup
	for p := range players {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var entries []string
			for i := range opsEach {
				key := fmt.Sprintf("chaos %d %d", p, i)
				switch op := rand.IntN(5); {
				case op == 0 || (op == 1 && len(entries) == 0):
					tid := tournaments[rand.IntN(len(tournaments))]
					r, err := h.request("POST", "/v1/tournaments/"+tid+"/registrations", tokens[p], map[string]any{}, "Idempotency-Key", key)
					record("join", r, err)
					if err == nil && r.Status == http.StatusCreated {
						entries = append(entries, r.Body["id"].(string))
					}
				case op == 1:
					r, err := h.request("DELETE", "/v1/registrations/"+entries[0], tokens[p], nil)
					record("withdraw", r, err)
					if err == nil && r.Status == http.StatusNoContent {
						entries = entries[1:]
					}
				case op == 2:
					r, err := h.request("POST", "/v1/admin/users/"+ids[p].String()+"/deposits", admin,
						map[string]any{"amount": 100 + rand.IntN(900), "currency": "EUR"}, "Idempotency-Key", key)
					record("deposit", r, err)
				case op == 3:
					r, err := h.request("POST", "/v1/wallet/withdrawals", tokens[p],
						map[string]any{"amount": 1 + rand.IntN(300), "currency": "EUR"}, "Idempotency-Key", key)
					record("withdrawal", r, err)
				default:
					r, err := h.request("GET", "/v1/wallet", tokens[p], nil)
					record("wallet", r, err)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	killed := <-terminated

	keys := make([]string, 0, len(statuses))
	for k := range statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-16s %d", k, statuses[k])
	}
	t.Logf("%d backends terminated during %d requests", killed, players*opsEach)
	if len(failures) > 0 {
		t.Log(h.logs.String())
	}
	require.Empty(t, failures)
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"], "audit: %s", audit.Raw)
}
