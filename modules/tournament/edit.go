package tournament

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// CreateTournament creates a draft owned by the caller. Organizers and admins only.
// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID (rules, unknown game, game settings),
// ECONFLICT (slug taken).
func (s *Service) CreateTournament(ctx context.Context, in TournamentInput) (*Tournament, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if !c.HasRole(arena.RoleOrganizer) && !c.HasRole(arena.RoleAdmin) {
		return nil, arena.Errorf(arena.EFORBIDDEN, "Creating tournaments requires the organizer role.")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	game, settings, err := s.checkGame(ctx, s.pool, in.Game, in.GameSettings)
	if err != nil {
		return nil, err
	}
	id := db.NewID()
	if in.Slug == "" {
		in.Slug = slugify(in.Name) + "-" + id.String()[30:] // UUIDv7's tail is random
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		err := s.q.InsertTournament(ctx, tx, insertParams(id, c.ID, game.ID, in, settings, s.now()))
		if db.UniqueViolation(err) == "tournaments_slug_key" {
			return arena.Errorf(arena.ECONFLICT, "The slug %q is taken.", in.Slug)
		} else if err != nil {
			return err
		}
		if err := s.q.InsertSlots(ctx, tx, dbsqlc.InsertSlotsParams{TournamentID: id, Capacity: in.Capacity}); err != nil {
			return err
		}
		return events.AppendTx(ctx, tx, s.now(), editEvent(events.TournamentCreated, id, StatusDraft, in.Name, in.Slug, []string{}))
	})
	if err != nil {
		return nil, err
	}
	return s.getTournament(ctx, s.pool, &id, nil)
}

// GetTournament returns a tournament by id or slug (one query). Drafts exist only for
// their organizer and admins. Errors: ENOTFOUND.
func (s *Service) GetTournament(ctx context.Context, idOrSlug string) (*Tournament, error) {
	var id *uuid.UUID
	if u, err := uuid.Parse(idOrSlug); err == nil {
		id = &u
	}
	t, err := s.getTournament(ctx, s.pool, id, &idOrSlug)
	if err != nil {
		return nil, err
	}
	if t.Status == StatusDraft {
		c, _ := arena.CallerFrom(ctx)
		if !c.CanManage(t.Organizer.ID) {
			return nil, arena.Errorf(arena.ENOTFOUND, "Tournament not found.")
		}
	}
	return t, nil
}

// TournamentTx reads a tournament in the caller's transaction, whoever the caller is: for
// the modules' background work. Errors: ENOTFOUND.
func (s *Service) TournamentTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*Tournament, error) {
	return s.getTournament(ctx, tx, &tournamentID, nil)
}

func (s *Service) getTournament(ctx context.Context, conn dbsqlc.DBTX, id *uuid.UUID, slug *string) (*Tournament, error) {
	r, err := s.q.GetTournament(ctx, conn, dbsqlc.GetTournamentParams{ID: id, Slug: slug})
	if err != nil {
		return nil, db.NotFound(err, "Tournament")
	}
	t := &Tournament{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description, Status: r.Status,
		NextStatuses: nextStatuses[r.Status],
		Game:         GameRef{Slug: r.GameSlug, Name: r.GameName}, GameID: r.GameID,
		Organizer: OrganizerRef{ID: r.OrganizerID, Handle: r.OrganizerHandle, DisplayName: r.OrganizerDisplayName},
		Format:    r.Format, ParticipantType: r.ParticipantType, Capacity: r.Capacity, Registered: r.Taken,
		EntryFee: Money{Amount: r.EntryFee, Currency: r.Currency}, PaymentMethod: r.PaymentMethod,
		PrizeDistribution: r.PrizeDistribution, PlatformFeeBps: r.PlatformFeeBps,
		AddedPrize: Money{Amount: r.AddedPrize, Currency: r.Currency}, PayoutReview: r.PayoutReview,
		RegistrationOpensAt: r.RegistrationOpensAt, RegistrationClosesAt: r.RegistrationClosesAt,
		CheckInOpensAt: r.CheckInOpensAt, CheckInClosesAt: r.CheckInClosesAt, StartsAt: r.StartsAt,
		AllowDraws: r.AllowDraws, Points: Points{Win: r.PointsWin, Draw: r.PointsDraw, Loss: r.PointsLoss},
		ReportWindow: r.ReportWindowMinutes, Rules: r.Rules, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		chosen: Play{Pairing: orUnset(r.Pairing), GrandFinal: orUnset(r.GrandFinal), Schedule: orUnset(r.Schedule),
			DoubleRoundRobin: r.DoubleRoundRobin, Tiebreaks: r.Tiebreaks, VirtualOpponent: r.BuchholzVirtualOpponent}}
	t.Play = t.chosen.effective(r.Format)
	for dst, src := range map[any][]byte{&t.GameSettings: r.GameSettings, &t.Sponsors: r.Sponsors, &t.CustomFields: r.CustomFields} {
		if err := json.Unmarshal(src, dst); err != nil {
			return nil, fmt.Errorf("decode tournament %s: %w", r.ID, err)
		}
	}
	return t, nil
}

// DeleteTournament removes a draft (soft delete; its slug is freed). Errors: EUNAUTHORIZED,
// EFORBIDDEN, ENOTFOUND, ECONFLICT (not a draft: cancel it instead).
func (s *Service) DeleteTournament(ctx context.Context, idOrSlug string) error {
	return s.change(ctx, idOrSlug, func(tx pgx.Tx, locked dbsqlc.LockTournamentRow, now time.Time) error {
		if locked.Status != StatusDraft {
			return arena.Errorf(arena.ECONFLICT, "Only drafts can be deleted; a %s tournament can be cancelled.", locked.Status)
		}
		t, err := s.getTournament(ctx, tx, &locked.ID, nil)
		if err != nil {
			return err
		}
		if err := s.q.SoftDeleteTournament(ctx, tx, dbsqlc.SoftDeleteTournamentParams{Now: now, ID: locked.ID}); err != nil {
			return err
		}
		// A deleted draft has no participants left to tell: its organizer alone is.
		deleted := editEvent(events.TournamentDeleted, t.ID, t.Status, t.Name, t.Slug, []string{})
		deleted.Visibility, deleted.UserID = events.User, locked.OrganizerID
		return events.AppendTx(ctx, tx, now, deleted)
	})
}

// editEvent is the event of a tournament created, edited or deleted; a draft's stay with
// its participants (the organizer, staff and admins), like the draft itself.
func editEvent(kind string, id uuid.UUID, status, name, slug string, changed []string) events.Event {
	visibility := events.Public
	if status == StatusDraft {
		visibility = events.Participants
	}
	return events.Event{Type: kind, Visibility: visibility, TournamentID: id,
		Payload: events.TournamentData{Name: name, Slug: slug, Changed: changed}}
}

// checkGame resolves the game slug and validates the settings against its schema.
func (s *Service) checkGame(ctx context.Context, conn dbsqlc.DBTX, slug string, settings map[string]any) (dbsqlc.Game, []byte, error) {
	g, err := s.q.GetGameBySlug(ctx, conn, slug)
	if err != nil {
		if db.NotFound(err, "") != err {
			return g, nil, arena.Errorf(arena.EINVALID, "Unknown game %q.", slug)
		}
		return g, nil, err
	}
	if settings == nil {
		settings = map[string]any{}
	}
	raw, err := json.Marshal(settings)
	if err != nil {
		return g, nil, arena.Errorf(arena.EINVALID, "Game settings are not valid JSON.")
	}
	if err := s.validateSettings(dbsqlc.Game(g), raw); err != nil {
		return g, nil, err
	}
	return dbsqlc.Game(g), raw, nil
}

func insertParams(id, organizer, game uuid.UUID, in TournamentInput, settings []byte, now time.Time) dbsqlc.InsertTournamentParams {
	sponsors, _ := json.Marshal(orEmpty(in.Sponsors))
	fields, _ := json.Marshal(orEmpty(in.CustomFields))
	return dbsqlc.InsertTournamentParams{ID: id, Slug: in.Slug, Name: in.Name, Description: in.Description,
		GameID: game, OrganizerID: organizer, Format: in.Format, ParticipantType: in.ParticipantType,
		Capacity: in.Capacity, EntryFee: in.EntryFee.Amount, Currency: in.EntryFee.Currency,
		PaymentMethod: in.PaymentMethod, PrizeDistribution: orEmpty(in.PrizeDistribution), PlatformFeeBps: in.PlatformFeeBps,
		AddedPrize: in.AddedPrize.Amount, PayoutReview: in.PayoutReview,
		RegistrationOpensAt: in.RegistrationOpensAt, RegistrationClosesAt: in.RegistrationClosesAt,
		CheckInOpensAt: in.CheckInOpensAt, CheckInClosesAt: in.CheckInClosesAt, StartsAt: in.StartsAt,
		GameSettings: settings, AllowDraws: in.AllowDraws, PointsWin: in.Points.Win, PointsDraw: in.Points.Draw,
		PointsLoss: in.Points.Loss, Pairing: orNull(in.Play.Pairing), GrandFinal: orNull(in.Play.GrandFinal),
		Schedule: orNull(in.Play.Schedule), DoubleRoundRobin: in.Play.DoubleRoundRobin, Tiebreaks: in.Play.Tiebreaks,
		BuchholzVirtualOpponent: in.Play.VirtualOpponent, ReportWindowMinutes: in.ReportWindow,
		Rules: in.Rules, Sponsors: sponsors, CustomFields: fields, Now: now}
}
