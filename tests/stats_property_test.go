package tests

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/arenaesports/arena/db/dbtest"
)

// statsModel is what one organizer's figures should say, kept from the answers the API gave.
type statsModel struct {
	org         string
	tournaments []*modelTournament
}

type modelTournament struct {
	id, status string
	manual     bool
	entries    []*modelEntry
}

type modelEntry struct {
	reg, token string
	state      string // pending (manual, unpaid), paid, checked_in, out
	charged    bool   // the wallet paid a fee still held (not refunded)
}

// TestStatsEqualTheLedger drives one organizer's tournaments with random joins (wallet and
// manual payments), withdrawals, approvals, closes of registration, check-ins, early closes
// of check-in (the job drops and refunds who did not check in), removals with and without a
// refund and cancellations (the jobs refund). After every step the organizer's stats say
// exactly what the ledger says of their escrows — fees in less refunds out, summed straight
// from wallet_transfers — and what the model kept: entries holding a paid slot, fees held,
// manual fees approved.
func TestStatsEqualTheLedger(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	admin := h.staff(t, "root", "admin")
	h.game(t, admin, "cs2")
	_, players := h.fastPlayers(t, "led_", 8, 1_000_000)

	rapid.Check(t, func(rt *rapid.T) {
		orgID, org := h.fastUser(rt, fmt.Sprintf("org%d", h.next()), "organizer")
		m := &statsModel{org: org}
		for range rapid.IntRange(1, 3).Draw(rt, "tournaments") {
			body := h.tournamentBody("cs2", fmt.Sprintf("Ledger Cup %d", h.next()))
			manual := rapid.Bool().Draw(rt, "manual")
			if manual {
				body["payment_method"] = "manual"
			}
			m.tournaments = append(m.tournaments, &modelTournament{id: h.openRegistration(rt, org, body), status: "registration_open", manual: manual})
		}
		// Each step acts on a tournament by what its status allows; an act that needs an
		// entry in some state, where there is none, joins instead (or does nothing).
		rt.Repeat(map[string]func(*rapid.T){
			"step": func(rt *rapid.T) {
				tr := rapid.SampledFrom(m.tournaments).Draw(rt, "tournament")
				acts := map[string][]string{
					"registration_open":   {"join", "join", "pay", "withdraw", "close", "cancel"},
					"registration_closed": {"pay", "openCheckIn", "remove", "cancel"},
					"check_in":            {"checkIn", "checkIn", "closeCheckIn", "remove", "cancel"},
					"check_in_closed":     {"remove", "cancel"},
				}[tr.status]
				if len(acts) == 0 {
					return // cancelled: nothing more happens to it
				}
				m.act(rt, h, w, tr, rapid.SampledFrom(acts).Draw(rt, "act"), players)
			},
			"": func(rt *rapid.T) { m.check(rt, h, orgID.String()) },
		})
	})
}

// act does one thing to tr and records what the API answered in the model.
func (m *statsModel) act(rt *rapid.T, h *harness, w *dbtest.Workers, tr *modelTournament, act string, players []string) {
	entry := func(states ...string) *modelEntry {
		var in []*modelEntry
		for _, e := range tr.entries {
			if slices.Contains(states, e.state) {
				in = append(in, e)
			}
		}
		if len(in) == 0 {
			return nil
		}
		return rapid.SampledFrom(in).Draw(rt, "entry")
	}
	switch act {
	case "join":
		token := rapid.SampledFrom(players).Draw(rt, "player")
		r := h.call(rt, "POST", "/v1/tournaments/"+tr.id+"/registrations", token, map[string]any{}, "Idempotency-Key", fmt.Sprint(h.next()))
		if r.Status == http.StatusConflict { // already in
			return
		}
		r.requireStatus(rt, http.StatusCreated)
		e := &modelEntry{reg: r.Body["id"].(string), token: token, state: "paid", charged: !tr.manual}
		if tr.manual {
			e.state = "pending"
		}
		tr.entries = append(tr.entries, e)
	case "pay":
		if e := entry("pending"); e != nil {
			h.call(rt, "POST", "/v1/registrations/"+e.reg+"/payment", e.token, map[string]any{"reference": "bank"}).requireStatus(rt, http.StatusNoContent)
			h.call(rt, "POST", "/v1/registrations/"+e.reg+"/payment/approve", m.org, nil).requireStatus(rt, http.StatusOK)
			e.state = "paid"
		}
	case "withdraw":
		if e := entry("pending", "paid"); e != nil {
			h.call(rt, "DELETE", "/v1/registrations/"+e.reg, e.token, nil).requireStatus(rt, http.StatusNoContent)
			e.state, e.charged = "out", false
		}
	case "close":
		h.call(rt, "POST", "/v1/tournaments/"+tr.id+"/close-registration", m.org, nil).requireStatus(rt, http.StatusOK)
		tr.status = "registration_closed"
	case "openCheckIn":
		h.call(rt, "POST", "/v1/tournaments/"+tr.id+"/open-check-in", m.org, nil).requireStatus(rt, http.StatusOK)
		tr.status = "check_in"
	case "checkIn":
		if e := entry("paid"); e != nil {
			h.call(rt, "POST", "/v1/registrations/"+e.reg+"/check-in", e.token, nil).requireStatus(rt, http.StatusOK)
			e.state = "checked_in"
		}
	case "closeCheckIn":
		h.clock.Advance(time.Second) // check-in cannot close in the instant it opened
		h.call(rt, "POST", "/v1/tournaments/"+tr.id+"/close-check-in", m.org, nil).requireStatus(rt, http.StatusOK)
		w.WaitIdle(rt) // the drops and their refunds
		for _, e := range tr.entries {
			if e.state == "pending" || e.state == "paid" {
				e.state, e.charged = "out", false
			}
		}
		tr.status = "check_in_closed"
	case "remove":
		if e := entry("pending", "paid", "checked_in"); e != nil {
			refund := rapid.Bool().Draw(rt, "refund")
			h.call(rt, "POST", "/v1/registrations/"+e.reg+"/remove", m.org, map[string]any{"refund": refund, "reason": "rules"}).
				requireStatus(rt, http.StatusNoContent)
			e.state, e.charged = "out", e.charged && !refund
		}
	case "cancel":
		h.call(rt, "POST", "/v1/tournaments/"+tr.id+"/cancel", m.org, nil).requireStatus(rt, http.StatusOK)
		w.WaitIdle(rt) // the refunds
		for _, e := range tr.entries {
			if e.state != "out" {
				e.state, e.charged = "out", false
			}
		}
		tr.status = "cancelled"
	}
}

// check compares the organizer's stats with the ledger and the model.
func (m *statsModel) check(rt *rapid.T, h *harness, orgID string) {
	stats := h.call(rt, "GET", "/v1/organizer/stats", m.org, nil).requireStatus(rt, http.StatusOK).Body
	amount := func(key string) float64 {
		for _, x := range stats[key].([]any) {
			if x.(map[string]any)["currency"] == "EUR" {
				return x.(map[string]any)["amount"].(float64)
			}
		}
		return 0
	}
	var ledger int64
	require.NoError(rt, h.pool.QueryRow(context.Background(), `
		SELECT coalesce(sum(CASE WHEN tr.credit_account_id = a.id THEN tr.amount ELSE -tr.amount END), 0)::bigint
		FROM wallet_accounts a JOIN wallet_transfers tr ON a.id IN (tr.credit_account_id, tr.debit_account_id)
		JOIN tournaments t ON t.id = a.owner_id
		WHERE a.kind = 'escrow' AND t.organizer_id = $1 AND tr.kind IN ('entry_fee', 'refund')`, orgID).Scan(&ledger))
	var registrations, held, manual int64
	for _, tr := range m.tournaments {
		for _, e := range tr.entries {
			if e.state == "paid" || e.state == "checked_in" {
				registrations++
				if tr.manual {
					manual += 500
				}
			}
			if e.charged {
				held += 500
			}
		}
	}
	require.Equal(rt, float64(ledger), amount("fees_collected"), "stats and the ledger")
	require.Equal(rt, float64(held), amount("fees_collected"), "stats and the model")
	require.Equal(rt, float64(manual), amount("manual_fees"))
	require.Equal(rt, float64(registrations), stats["registrations"])
}
