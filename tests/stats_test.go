package tests

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOrganizerStatsAndHealth: the organizer's figures count the entries that hold a slot
// and are paid (not manual entries awaiting payment), report wallet fees as the ledger has
// them (refunds included) and manual fees apart, and follow every change at once.
func TestOrganizerStatsAndHealth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	paid := h.paidSolo(t, org, 16)
	_, tokens := h.fastPlayers(t, "st_", 6, 1000)
	regs := h.join(t, paid, tokens[:4]...)
	manualBody := h.tournamentBody("cs2", "Manual Cup")
	manualBody["payment_method"] = "manual"
	manual := h.openRegistration(t, org, manualBody)
	manualRegs := h.join(t, manual, tokens[4:]...)
	for i, reg := range manualRegs {
		h.call(t, "POST", "/v1/registrations/"+reg+"/payment", tokens[4+i], map[string]any{"reference": "bank " + reg}).
			requireStatus(t, http.StatusNoContent)
	}
	h.call(t, "POST", "/v1/registrations/"+manualRegs[0]+"/payment/approve", org, nil).requireStatus(t, http.StatusOK)
	h.createTournament(t, org, "cs2", "Draft One")

	var r response
	n := h.countQueries(func() { r = h.call(t, "GET", "/v1/organizer/stats", org, nil).requireStatus(t, http.StatusOK) })
	require.Equal(t, int64(2), n, "authenticate + stats")
	require.Equal(t, map[string]any{"registration_open": float64(2), "draft": float64(1)}, r.Body["tournaments_by_status"])
	require.Equal(t, float64(5), r.Body["registrations"], "four wallet entries and one approved manual one; not the one awaiting payment")
	require.Equal(t, []any{map[string]any{"amount": float64(2000), "currency": "EUR"}}, r.Body["fees_collected"])
	require.Equal(t, []any{map[string]any{"amount": float64(500), "currency": "EUR"}}, r.Body["manual_fees"])

	n = h.countQueries(func() {
		r = h.call(t, "GET", "/v1/tournaments/"+manual+"/health", org, nil).requireStatus(t, http.StatusOK)
	})
	require.Equal(t, int64(2), n, "authenticate + health")
	require.Equal(t, float64(1), r.Body["pending_payment_verifications"])
	r = h.call(t, "GET", "/v1/tournaments/"+paid+"/health", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, 0.25, r.Body["fill_rate"])

	// A withdrawal refunds through the ledger: the figures follow at once, no cache between.
	h.call(t, "DELETE", "/v1/registrations/"+regs[0], tokens[0], nil).requireStatus(t, http.StatusNoContent)
	// A withdrawn manual entry awaiting verification leaves nothing to verify.
	h.call(t, "DELETE", "/v1/registrations/"+manualRegs[1], tokens[5], nil).requireStatus(t, http.StatusNoContent)
	r = h.call(t, "GET", "/v1/organizer/stats", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(4), r.Body["registrations"])
	require.Equal(t, []any{map[string]any{"amount": float64(1500), "currency": "EUR"}}, r.Body["fees_collected"])
	r = h.call(t, "GET", "/v1/tournaments/"+manual+"/health", org, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, float64(0), r.Body["pending_payment_verifications"])
	r = h.call(t, "POST", "/v1/registrations/"+manualRegs[1]+"/payment/approve", org, nil).requireProblem(t, http.StatusConflict, "conflict")
	require.Contains(t, r.Body["detail"], "withdrawn", "an ended entry's payment is not approved into the tournament")
	require.Equal(t, float64(4), h.call(t, "GET", "/v1/organizer/stats", org, nil).Body["registrations"])
}

// TestOrganizerStatsCostTheSameForOneOrMany: the stats are one statement however many
// tournaments and entries an organizer has.
func TestOrganizerStatsCostTheSameForOneOrMany(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	counts, made := map[int]int64{}, 0
	for _, n := range []int{1, 20} {
		for ; made < n; made++ {
			tid := h.paidSolo(t, org, 16)
			_, tokens := h.fastPlayers(t, fmt.Sprintf("sc%d_", made), 3, 1000)
			h.join(t, tid, tokens...)
		}
		counts[n] = h.countQueries(func() { h.call(t, "GET", "/v1/organizer/stats", org, nil).requireStatus(t, http.StatusOK) })
	}
	require.Equal(t, counts[1], counts[20])
}
