package tournament

import (
	"context"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// StatusStats is one (status, currency) group of an organizer's tournaments.
type StatusStats struct {
	Status        string `json:"status" enum:"draft,published,registration_open,registration_closed,check_in,running,completed,cancelled"`
	Currency      string `json:"currency"`
	Tournaments   int32  `json:"tournaments"`
	Registrations int32  `json:"registrations" doc:"Entries that hold a slot and are paid (or free): not those awaiting a manual payment."`
	FeesCollected int64  `json:"fees_collected" doc:"Entry fees the tournaments' escrows took in through the wallet less the refunds paid back, minor units of currency, as the ledger has them."`
	ManualFees    int64  `json:"manual_fees" doc:"Entry fees of approved manual payments, minor units: paid outside Arena, so not in the wallet or in fees_collected."`
}

// OrganizerStats summarises the caller's tournaments.
type OrganizerStats struct {
	TournamentsByStatus map[string]int32 `json:"tournaments_by_status"`
	Registrations       int32            `json:"registrations" doc:"Entries that hold a slot and are paid (or free), across all tournaments."`
	FeesCollected       []Money          `json:"fees_collected" doc:"Entry fees held through the wallet (collected less refunded), per currency: what the tournaments' escrows took in and paid back in the ledger."`
	ManualFees          []Money          `json:"manual_fees" doc:"Entry fees of approved manual payments, per currency. They are paid outside Arena: the wallet never holds them and Arena does not see them refunded."`
	Groups              []StatusStats    `json:"groups" doc:"The same figures per status and currency."`
}

// OrganizerStats returns the caller's figures as they stand (one query, not cached: they
// change with every registration, refund and status change, across modules). Errors:
// EUNAUTHORIZED.
func (s *Service) OrganizerStats(ctx context.Context) (*OrganizerStats, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.OrganizerStats(ctx, s.pool, c.ID)
	if err != nil {
		return nil, err
	}
	out := &OrganizerStats{TournamentsByStatus: map[string]int32{}, Groups: make([]StatusStats, len(rows))}
	fees, manual := map[string]int64{}, map[string]int64{}
	var currencies []string
	for i, r := range rows {
		out.Groups[i] = StatusStats(r)
		out.TournamentsByStatus[r.Status] += r.Tournaments
		out.Registrations += r.Registrations
		if _, seen := fees[r.Currency]; !seen {
			currencies = append(currencies, r.Currency)
		}
		fees[r.Currency] += r.FeesCollected
		manual[r.Currency] += r.ManualFees
	}
	out.FeesCollected, out.ManualFees = make([]Money, len(currencies)), make([]Money, len(currencies))
	for i, cur := range currencies {
		out.FeesCollected[i] = Money{Amount: fees[cur], Currency: cur}
		out.ManualFees[i] = Money{Amount: manual[cur], Currency: cur}
	}
	return out, nil
}

// Health is how a tournament is doing, for its organizer's dashboard.
type Health struct {
	Status                      string  `json:"status" enum:"draft,published,registration_open,registration_closed,check_in,running,completed,cancelled"`
	Capacity                    int32   `json:"capacity"`
	Registered                  int32   `json:"registered"`
	FillRate                    float64 `json:"fill_rate" doc:"registered / capacity, 0 to 1."`
	CheckedIn                   int32   `json:"checked_in"`
	CheckInRate                 float64 `json:"check_in_rate" doc:"checked_in / registered, 0 to 1."`
	PendingPaymentVerifications int32   `json:"pending_payment_verifications" doc:"Entries awaiting payment with a reference for the organizer to verify."`
	OpenDisputes                int32   `json:"open_disputes" doc:"Matches whose sides reported different results, not yet resolved."`
	OverdueMatches              int32   `json:"overdue_matches" doc:"Matches still undecided longer than the report window after their scheduled_at."`
}

// TournamentHealth returns a tournament's health figures as they stand now (one query, not
// cached: disputes open and close, and matches fall overdue, by the minute). The organizer,
// its staff and admins only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) TournamentHealth(ctx context.Context, tournamentID string) (*Health, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	id, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, err
	}
	h, err := s.q.TournamentHealth(ctx, s.pool, dbsqlc.TournamentHealthParams{Now: s.now(), CallerID: c.ID, ID: id})
	if err != nil {
		return nil, db.NotFound(err, "Tournament")
	}
	if !MayRunMatches(c, h.OrganizerID, h.CallerIsStaff) {
		if h.Status == StatusDraft {
			return nil, arena.Errorf(arena.ENOTFOUND, "Tournament not found.")
		}
		return nil, arena.Errorf(arena.EFORBIDDEN, "Only the tournament's organizer and staff can see its health.")
	}
	out := &Health{Status: h.Status, Capacity: h.Capacity, Registered: h.Taken, CheckedIn: h.CheckedIn,
		PendingPaymentVerifications: h.PendingPayments, OpenDisputes: h.OpenDisputes, OverdueMatches: h.OverdueMatches}
	if h.Capacity > 0 {
		out.FillRate = float64(h.Taken) / float64(h.Capacity)
	}
	if h.Taken > 0 {
		out.CheckInRate = float64(h.CheckedIn) / float64(h.Taken)
	}
	return out, nil
}
