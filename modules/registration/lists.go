package registration

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/identity"
	"github.com/arenaesports/arena/modules/registration/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

type listCursor struct {
	CreatedAt time.Time `json:"t"`
	ID        uuid.UUID `json:"i"`
}

// TournamentRegistrations pages through a tournament's entries in registration order, in
// two round trips (the tournament's terms, the page). Anyone sees names and statuses; the
// organizer also sees payment state and answers. Errors: ENOTFOUND, EINVALID (cursor).
func (s *Service) TournamentRegistrations(ctx context.Context, tournamentID, cursor string, limit int) ([]Registration, string, error) {
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, "", err
	}
	p := dbsqlc.ListTournamentRegistrationsParams{TournamentID: tid, MaxRows: int32(limit) + 1}
	if cursor != "" {
		var c listCursor
		if err := arena.DecodeCursor(cursor, &c); err != nil {
			return nil, "", err
		}
		p.AfterCreatedAt, p.AfterID = &c.CreatedAt, &c.ID
	}
	terms, err := s.cfg.Tournaments.Terms(ctx, tid)
	if err != nil {
		return nil, "", err
	}
	c, _ := arena.CallerFrom(ctx)
	organizer := c.CanManage(terms.OrganizerID)
	rows, err := s.q.ListTournamentRegistrations(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, limit, func(r dbsqlc.ListTournamentRegistrationsRow) any {
		return listCursor{CreatedAt: r.CreatedAt, ID: r.ID}
	})
	out := make([]Registration, len(rows))
	for i, r := range rows {
		if out[i], err = registrationOf(r, tid, organizer); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

// GetRegistration is one entry, in three round trips (who may see what, the tournament's
// terms, the entry). Anyone sees what the tournament's list shows; its members and the
// organizer also see payment state and answers. Errors: ENOTFOUND.
func (s *Service) GetRegistration(ctx context.Context, registrationID string) (*Registration, error) {
	id, err := db.ParseID(registrationID, "Registration")
	if err != nil {
		return nil, err
	}
	c, _ := arena.CallerFrom(ctx)
	access, err := s.q.RegistrationAccess(ctx, s.pool, dbsqlc.RegistrationAccessParams{ID: id, Caller: c.ID})
	if err != nil {
		return nil, db.NotFound(err, "Registration")
	}
	terms, err := s.cfg.Tournaments.Terms(ctx, access.TournamentID)
	if err != nil {
		return nil, err
	}
	row, err := s.q.GetRegistration(ctx, s.pool, id)
	if err != nil {
		return nil, db.NotFound(err, "Registration")
	}
	r, err := registrationOf(dbsqlc.ListTournamentRegistrationsRow(row), access.TournamentID,
		access.IsMember || c.CanManage(terms.OrganizerID))
	return &r, err
}

// registrationOf shapes a row of tournamentID's entries; full adds what only the entry's
// members and the organizer see.
func registrationOf(r dbsqlc.ListTournamentRegistrationsRow, tournamentID uuid.UUID, full bool) (Registration, error) {
	out := Registration{ID: r.ID, TournamentID: tournamentID, Status: r.Status, Members: r.Members, CreatedAt: r.CreatedAt,
		RegisteredBy: Player{ID: r.RegisteredByID, Handle: r.RegisteredByHandle, DisplayName: r.RegisteredByDisplayName}}
	if r.TeamID != nil && r.TeamName != nil {
		out.Team = &identity.TeamRef{ID: *r.TeamID, Name: *r.TeamName, Tag: r.TeamTag}
	}
	if full {
		out.Payment = &Payment{Method: r.Payment, EntryFee: tournament.Money{Amount: r.EntryFee, Currency: r.Currency}, Verification: r.Verification}
		out.RemovalReason = r.RemovalReason
		if err := json.Unmarshal(r.Answers, &out.Answers); err != nil {
			return out, err
		}
	}
	return out, nil
}

// MyRegistration is an entry of the caller's, with its tournament.
type MyRegistration struct {
	ID         uuid.UUID         `json:"id"`
	Status     string            `json:"status" enum:"pending_payment,confirmed,checked_in,withdrawn,disqualified,dropped,removed,cancelled"`
	Active     bool              `json:"active" doc:"The caller still counts toward the tournament through this entry."`
	Team       *identity.TeamRef `json:"team,omitempty"`
	Tournament TournamentRef     `json:"tournament"`
	Payment    Payment           `json:"payment"`
	CreatedAt  time.Time         `json:"created_at"`
}

// TournamentRef names a tournament.
type TournamentRef struct {
	ID       uuid.UUID `json:"id"`
	Slug     string    `json:"slug"`
	Name     string    `json:"name"`
	Status   string    `json:"status" enum:"published,registration_open,registration_closed,check_in,running,completed,cancelled"`
	StartsAt time.Time `json:"starts_at"`
}

// MyRegistrations pages through every entry the caller is or was part of, newest first
// (one query). Errors: EUNAUTHORIZED, EINVALID (cursor).
func (s *Service) MyRegistrations(ctx context.Context, cursor string, limit int) ([]MyRegistration, string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, "", err
	}
	p := dbsqlc.ListMyRegistrationsParams{UserID: c.ID, MaxRows: int32(limit) + 1}
	if cursor != "" {
		var before uuid.UUID
		if err := arena.DecodeCursor(cursor, &before); err != nil {
			return nil, "", err
		}
		p.BeforeID = &before
	}
	rows, err := s.q.ListMyRegistrations(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, limit, func(r dbsqlc.ListMyRegistrationsRow) any { return r.ID })
	out := make([]MyRegistration, len(rows))
	for i, r := range rows {
		out[i] = MyRegistration{ID: r.ID, Status: r.Status, Active: r.Active, CreatedAt: r.CreatedAt,
			Tournament: TournamentRef{ID: r.TournamentID, Slug: r.TournamentSlug, Name: r.TournamentName,
				Status: r.TournamentStatus, StartsAt: r.StartsAt},
			Payment: Payment{Method: r.Payment, EntryFee: tournament.Money{Amount: r.EntryFee, Currency: r.Currency}}}
		if r.TeamID != nil && r.TeamName != nil {
			out[i].Team = &identity.TeamRef{ID: *r.TeamID, Name: *r.TeamName}
		}
	}
	return out, next, nil
}

// RefundProgress is how far the refunds of a cancelled tournament have got.
type RefundProgress struct {
	Refunded int32 `json:"refunded" doc:"Members paid back."`
	Total    int32 `json:"total" doc:"Members whose wallets paid an entry fee."`
}

// Refunds reports the cancellation refunds of a tournament (0/0 when it is not cancelled).
// Errors: ENOTFOUND.
func (s *Service) Refunds(ctx context.Context, tournamentID string) (*RefundProgress, error) {
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, err
	}
	if _, err := s.cfg.Tournaments.Terms(ctx, tid); err != nil {
		return nil, err
	}
	p, err := s.q.RefundProgress(ctx, s.pool, tid)
	if err != nil {
		return nil, err
	}
	return &RefundProgress{Refunded: p.Refunded, Total: p.Total}, nil
}

// Entrant is an entry that takes part in a tournament's bracket.
type Entrant struct {
	RegistrationID uuid.UUID
	RegisteredBy   uuid.UUID  // reports results for the entry
	TeamID         *uuid.UUID // the team that entered; nil in solo play
	Name           string     // the team's name, or the player's handle
}

// EntrantsTx lists, in registration order, the entries that play: checked in when the
// tournament had a check-in, confirmed otherwise. One query in the caller's transaction.
func (s *Service) EntrantsTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID, checkIn bool) ([]Entrant, error) {
	statuses := []string{StatusConfirmed, StatusCheckedIn}
	if checkIn {
		statuses = []string{StatusCheckedIn}
	}
	rows, err := s.q.Entrants(ctx, tx, dbsqlc.EntrantsParams{TournamentID: tournamentID, Statuses: statuses})
	if err != nil {
		return nil, err
	}
	out := make([]Entrant, len(rows))
	for i, r := range rows {
		out[i] = Entrant{RegistrationID: r.ID, RegisteredBy: r.RegisteredBy, TeamID: r.TeamID, Name: r.Name}
	}
	return out, nil
}

// FeesOwedTx is what the tournament's escrow still owes in refunds (entries ended with a
// refund that the refund jobs have not paid yet), in the caller's transaction.
func (s *Service) FeesOwedTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (int64, error) {
	return s.q.FeesOwed(ctx, tx, tournamentID)
}

// StandingMembersTx returns, for each of the entries that still stand (confirmed or
// checked in), its members: the registrant first, then by id. Entries disqualified,
// removed or otherwise ended are absent. One query in the caller's transaction.
func (s *Service) StandingMembersTx(ctx context.Context, tx pgx.Tx, registrationIDs []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error) {
	rows, err := s.q.StandingMembers(ctx, tx, registrationIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID][]uuid.UUID)
	for _, r := range rows {
		out[r.RegistrationID] = append(out[r.RegistrationID], r.UserID)
	}
	return out, nil
}
