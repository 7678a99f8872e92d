package tests

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db/dbtest"
)

// TestPayoutsOfRandomTournaments draws tournaments — format, size, solo or teams of two,
// entrants who withdraw (refunded) before the start, a disqualification, a platform fee, an
// added prize, a distribution of one to five places — plays each to its end and checks the
// money: the prizes, the fee and the rounding add up to the fees kept plus the added prize
// (paidStatement), the fees kept are the fees paid less the refunds, every recipient is
// paid once and by one transfer, a disqualified entry gets nothing, every escrow ends at
// zero and the audit is clean. The seed is logged: a failure replays with it.
func TestPayoutsOfRandomTournaments(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	admin := h.staff(t, "root", "admin")
	h.game(t, admin, "cs2")
	orgID, org := h.fastUser(t, "random_org", "organizer")
	h.fund(t, orgID, 1_000_000)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	for i := range 12 {
		rnd := rand.New(rand.NewPCG(seed, uint64(i)))
		t.Run(fmt.Sprint(i), func(t *testing.T) { h.randomPayout(t, w, rnd, org) })
	}
	audit := h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, audit.Body["ok"], "audit: %s", audit.Raw)
}

// randomPayout runs one drawn tournament to its payout and checks it.
func (h *harness) randomPayout(t *testing.T, w *dbtest.Workers, rnd *rand.Rand, org string) {
	formats := []string{"single_elimination", "double_elimination", "round_robin", "swiss"}
	format, n, teams := formats[rnd.IntN(4)], 3+rnd.IntN(6), rnd.IntN(2) == 0
	withdrawn := rnd.IntN(3)
	body := h.withoutCheckIn(fmt.Sprintf("Random %d", h.next()), format, n+withdrawn)
	places := 1 + rnd.IntN(min(n, 5))
	dist, left := make([]int, places), 100
	for i := range dist[:places-1] {
		dist[i] = 1 + rnd.IntN(left-(places-1-i))
		left -= dist[i]
	}
	dist[places-1] = left
	added := int64(rnd.IntN(3) * rnd.IntN(5000))
	body["prize_distribution"], body["platform_fee_bps"] = dist, rnd.IntN(3001)
	if added > 0 {
		body["added_prize"] = map[string]any{"amount": added, "currency": "EUR"}
	}
	size := 1
	if teams {
		body["participant_type"], size = "team", 2
	}
	t.Logf("%s of %d (+%d withdrawn), teams=%v, distribution %v, fee %v bps, added %d", format, n, withdrawn, teams,
		dist, body["platform_fee_bps"], added)
	tid := h.openRegistration(t, org, body)
	prefix := fmt.Sprintf("rp%d_", h.next())
	ids, tokens := h.fastPlayers(t, prefix, (n+withdrawn)*size, 1000)
	reporters := map[string]string{}
	var regs []string
	for i := range n + withdrawn {
		in, name := map[string]any{}, fmt.Sprintf("%s%d", prefix, i*size)
		if teams {
			name = fmt.Sprintf("Team %s%d", prefix, i)
			in["team_id"] = h.team(t, name, ids[2*i], ids[2*i+1]).String()
		}
		regs = append(regs, h.call(t, "POST", "/v1/tournaments/"+tid+"/registrations", tokens[i*size], in, "Idempotency-Key", name).
			requireStatus(t, http.StatusCreated).Body["id"].(string))
		reporters[name] = tokens[i*size]
	}
	for i := n; i < n+withdrawn; i++ { // the last to join withdraw
		h.call(t, "DELETE", "/v1/registrations/"+regs[i], tokens[i*size], nil).requireStatus(t, http.StatusNoContent)
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket", org, map[string]any{}).requireStatus(t, http.StatusCreated)
	cheat := ""
	if rnd.IntN(2) == 0 {
		ready := h.readyMatches(t, tid)
		m, side := ready[rnd.IntN(len(ready))], []string{"a", "b"}[rnd.IntN(2)]
		h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/disqualify", org, map[string]any{"side": side}).requireStatus(t, http.StatusNoContent)
		cheat = sideName(m, side)
	}
	h.playToTheEnd(t, w, tid, reporters)

	st := h.paidStatement(t, w, tid, org)
	require.Equal(t, float64(n*size*500), st["entry_fees"], "the fees kept are those paid less the refunds")
	paid := map[string]bool{}
	for _, p := range st["places"].([]any) {
		place := p.(map[string]any)
		require.NotEqual(t, cheat, place["name"], "a disqualified entry is paid nothing")
		for _, r := range place["recipients"].([]any) {
			user := r.(map[string]any)["user_id"].(string)
			require.False(t, paid[user], "paid once")
			paid[user] = true
		}
	}
	var transfers int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT count(*) FROM wallet_transfers WHERE kind = 'prize' AND reference = $1`,
		tid).Scan(&transfers))
	require.Equal(t, len(paid), transfers, "one prize transfer per recipient")
	require.Equal(t, int64(0), h.escrow(t, tid), "the escrow ends at zero")
}
