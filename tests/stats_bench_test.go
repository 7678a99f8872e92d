package tests

import (
	"fmt"
	"net/http"
	"testing"
)

// BenchmarkOrganizerFigures: the organizer's stats and a tournament's health, uncached, for
// an organizer of 20 paid tournaments of 64 entries each (1 280 entries and ledger rows),
// against a tournament's detail (one query) as the baseline in the same run.
func BenchmarkOrganizerFigures(b *testing.B) {
	h := newHarness(b, nil)
	_, org := h.staffWithGame(b)
	var last string
	for i := range 20 {
		last = h.paidSolo(b, org, 64)
		_, tokens := h.fastPlayers(b, fmt.Sprintf("fig%d_", i), 64, 1000)
		h.join(b, last, tokens...)
	}
	for name, path := range map[string]string{
		"Baseline/TournamentDetail": "/v1/tournaments/" + last,
		"OrganizerStats":            "/v1/organizer/stats",
		"TournamentHealth":          "/v1/tournaments/" + last + "/health",
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				h.call(b, "GET", path, org, nil).requireStatus(b, http.StatusOK)
			}
		})
	}
}
