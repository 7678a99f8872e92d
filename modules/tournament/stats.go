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
	Registrations int32  `json:"registrations"`
	FeesCollected int64  `json:"fees_collected" doc:"Entry fees collected, minor units of currency."`
}

// OrganizerStats summarises the caller's tournaments.
type OrganizerStats struct {
	TournamentsByStatus map[string]int32 `json:"tournaments_by_status"`
	Registrations       int32            `json:"registrations" doc:"Slots taken across all tournaments."`
	FeesCollected       []Money          `json:"fees_collected" doc:"Entry fees collected, per currency."`
	Groups              []StatusStats    `json:"groups" doc:"The same figures per status and currency."`
}

// OrganizerStats returns the caller's figures: one query, cached for StatsTTL.
// Errors: EUNAUTHORIZED.
func (s *Service) OrganizerStats(ctx context.Context) (*OrganizerStats, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	groups, ok, gen := s.stats.Get(c.ID.String(), now)
	if !ok {
		rows, err := s.q.OrganizerStats(ctx, s.pool, c.ID)
		if err != nil {
			return nil, err
		}
		groups = make([]StatusStats, len(rows))
		for i, r := range rows {
			groups[i] = StatusStats(r)
		}
		s.stats.Put(c.ID.String(), groups, gen, now)
	}
	out := &OrganizerStats{TournamentsByStatus: map[string]int32{}, FeesCollected: []Money{}, Groups: groups}
	fees := map[string]int64{}
	for _, g := range groups {
		out.TournamentsByStatus[g.Status] += g.Tournaments
		out.Registrations += g.Registrations
		if _, seen := fees[g.Currency]; !seen {
			out.FeesCollected = append(out.FeesCollected, Money{Currency: g.Currency})
		}
		fees[g.Currency] += g.FeesCollected
	}
	for i := range out.FeesCollected {
		out.FeesCollected[i].Amount = fees[out.FeesCollected[i].Currency]
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
	PendingPaymentVerifications int32   `json:"pending_payment_verifications"`
	OpenDisputes                int32   `json:"open_disputes"`
	OverdueMatches              int32   `json:"overdue_matches"`
}

// TournamentHealth returns a tournament's health figures: one query, cached for StatsTTL.
// Organizer or admin only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) TournamentHealth(ctx context.Context, tournamentID string) (*Health, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	id, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, err
	}
	now := s.now()
	h, ok, gen := s.health.Get(tournamentID, now)
	if !ok {
		if h, err = s.q.TournamentHealth(ctx, s.pool, id); err != nil {
			return nil, db.NotFound(err, "Tournament")
		}
		s.health.Put(tournamentID, h, gen, now)
	}
	if !c.CanManage(h.OrganizerID) {
		if h.Status == StatusDraft {
			return nil, arena.Errorf(arena.ENOTFOUND, "Tournament not found.")
		}
		return nil, arena.Errorf(arena.EFORBIDDEN, "Only the tournament's organizer can see its health.")
	}
	return healthOf(h), nil
}

func healthOf(h dbsqlc.TournamentHealthRow) *Health {
	out := &Health{Status: h.Status, Capacity: h.Capacity, Registered: h.Taken, CheckedIn: h.CheckedIn,
		PendingPaymentVerifications: h.PendingPayments, OpenDisputes: h.OpenDisputes, OverdueMatches: h.OverdueMatches}
	if h.Capacity > 0 {
		out.FillRate = float64(h.Taken) / float64(h.Capacity)
	}
	if h.Taken > 0 {
		out.CheckInRate = float64(h.CheckedIn) / float64(h.Taken)
	}
	return out
}
